import { useMemo, useState, type ReactNode } from 'react';
import { timeZones } from '../time';
import { Select } from './forms';

/** The zones callers and supporters are most often in, offered first (the UK line's usual callers, then big cities abroad). */
export const COMMON_ZONES = [
  'Europe/London',
  'Europe/Dublin',
  'UTC',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Athens',
  'America/New_York',
  'America/Toronto',
  'America/Los_Angeles',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Hong_Kong',
  'Australia/Sydney',
  'Pacific/Auckland',
];

/** "Asia/Ho_Chi_Minh" → "Asia / Ho Chi Minh": what a person searches for. */
const words = (z: string) => z.replace(/_/g, ' ').replace(/\//g, ' / ');

/**
 * A time zone: the common ones first, then every IANA zone, and a box that
 * narrows the list by city or region (what was chosen always stays in it).
 */
export function TimeZoneSelect({
  id,
  label,
  hint,
  value,
  onChange,
  error,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  onChange: (zone: string) => void;
  error?: string;
}) {
  const all = useMemo(timeZones, []);
  const [filter, setFilter] = useState('');
  const f = filter
    .trim()
    .toLowerCase()
    .replace(/[\s_/]+/g, ' ');
  const match = (z: string) =>
    !f ||
    z === value ||
    words(z)
      .toLowerCase()
      .replace(/[\s/]+/g, ' ')
      .includes(f);
  const common = COMMON_ZONES.filter((z) => all.includes(z) && match(z));
  const rest = all.filter((z) => !COMMON_ZONES.includes(z) && match(z));
  const found = common.length + rest.length;
  return (
    <div className="zone-select">
      <Select id={id} label={label} hint={hint} value={value} onChange={(e) => onChange(e.target.value)} error={error}>
        {common.length > 0 && (
          <optgroup label="Common">
            {common.map((z) => (
              <option key={z} value={z}>
                {words(z)}
              </option>
            ))}
          </optgroup>
        )}
        {rest.length > 0 && (
          <optgroup label={f ? 'Matching' : 'All, A to Z'}>
            {rest.map((z) => (
              <option key={z} value={z}>
                {words(z)}
              </option>
            ))}
          </optgroup>
        )}
      </Select>
      <div className="form-group zone-select__filter">
        <label className="label label--s" htmlFor={`${id}-filter`}>
          Narrow the list: type a city or region
        </label>
        <input
          id={`${id}-filter`}
          className="input input--medium"
          type="search"
          autoComplete="off"
          value={filter}
          aria-describedby={`${id}-filter-count`}
          onChange={(e) => setFilter(e.target.value)}
        />
        <p className="hint" id={`${id}-filter-count`} aria-live="polite">
          {f ? `${found} ${found === 1 ? 'zone matches' : 'zones match'}` : ''}
        </p>
      </div>
    </div>
  );
}
