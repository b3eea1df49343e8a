// Unsaved forms kept in sessionStorage (this tab only), so a sign-in that ends mid-call loses nothing: restored
// after signing in again, cleared when the form is saved or the user signs out.
import { useEffect, useRef, useState } from 'react';

const PREFIX = 'dsl.draft.';

export function loadDraft<T>(name: string): T | null {
  try {
    const raw = sessionStorage.getItem(PREFIX + name);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function saveDraft(name: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // storage full or disabled: the form still works, it is only not kept
  }
}

export function clearDraft(name: string): void {
  sessionStorage.removeItem(PREFIX + name);
}

/** On sign-out: nobody else at this desk sees what was typed. */
export function clearAllDrafts(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}

/**
 * Keeps `values` as the draft `name` while `keep` holds, and hands a kept draft to `restore` once, on mount.
 * Returns whether a draft was restored (to tell the user).
 */
export function useDraft<T>(name: string, values: T, keep: boolean, restore: (draft: T) => void): boolean {
  const [restored, setRestored] = useState(false);
  const ready = useRef(false);
  useEffect(() => {
    const draft = loadDraft<T>(name);
    if (draft) {
      restore(draft);
      setRestored(true);
    }
    ready.current = true;
    // once, on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const text = JSON.stringify(values);
  useEffect(() => {
    if (!ready.current) return;
    if (keep) saveDraft(name, JSON.parse(text));
  }, [name, text, keep]);
  return restored;
}
