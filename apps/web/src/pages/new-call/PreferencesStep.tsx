// Step 3 of a new call: what the caller would like in a supporter (all optional).
import { Select, errorFor, type ErrorItem } from '../../components/forms';
import { LanguagePicker } from '../../components/LanguagePicker';
import type { Modality, NewCallFields, SameSpecialty, SetField } from './fields';

export function PreferencesStep({ f, set, errors }: { f: NewCallFields; set: SetField; errors: ErrorItem[] }) {
  return (
    <section aria-labelledby="step-prefs" className="step">
      <h2 className="heading-m" id="step-prefs">
        3. Preferences
      </h2>
      <div className="grid-2">
        <Select
          id="supporterGender"
          label="Gender of supporter"
          value={f.supporterGender}
          onChange={(e) => set('supporterGender', e.target.value)}
        >
          <option value="">No preference</option>
          <option value="female">Female</option>
          <option value="male">Male</option>
          <option value="non-binary">Non-binary</option>
        </Select>
        <Select
          id="modality"
          label="Phone or video"
          value={f.modality}
          onChange={(e) => set('modality', e.target.value as Modality)}
        >
          <option value="">No preference</option>
          <option value="phone">Phone</option>
          <option value="video">Video</option>
        </Select>
      </div>
      <div className="grid-2">
        <LanguagePicker
          id="languages"
          label="Languages (optional)"
          hint="Languages the caller would like to be supported in."
          value={f.languages}
          onChange={(v) => set('languages', v)}
          error={errorFor(errors, 'languages')}
        />
        <Select
          id="sameSpecialty"
          label="Supporter from the same specialty"
          value={f.sameSpecialty}
          onChange={(e) => set('sameSpecialty', e.target.value as SameSpecialty)}
        >
          <option value="any">No preference</option>
          <option value="prefer">Prefer the same specialty</option>
          <option value="avoid">Avoid the same specialty</option>
        </Select>
      </div>
    </section>
  );
}
