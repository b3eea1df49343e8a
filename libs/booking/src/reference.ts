import { readableReference } from '@app/common';

export { REFERENCE_ALPHABET } from '@app/common';

/** A booking reference, readable over the phone: "PS-7K3Q-9D". */
export function generateReference(): string {
  return readableReference('PS');
}
