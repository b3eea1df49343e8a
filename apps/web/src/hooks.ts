import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api-clients';
import { ok, problemOf, type Problem } from './api/client';
import type { Supporter } from './api/types';

export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: Problem | null; loading: boolean; reload: () => void; setData: (t: T) => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const n = ++latest.current;
    setLoading(true);
    load().then(
      (d) => {
        if (n !== latest.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (err) => {
        if (n !== latest.current) return;
        setError(problemOf(err));
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

let supportersCache: Promise<Supporter[]> | null = null;
/** All supporters (admin, intake), fetched once per page load. */
export function useSupporters(): Map<string, Supporter> {
  const [map, setMap] = useState<Map<string, Supporter>>(new Map());
  useEffect(() => {
    supportersCache ??= ok(api.GET('/api/v1/supporters')).then((r) => r.supporters);
    supportersCache.then(
      (list) => setMap(new Map(list.map((s) => [s.id, s]))),
      () => {
        supportersCache = null;
      },
    );
  }, []);
  return map;
}
export function forgetSupporters(): void {
  supportersCache = null;
}

/** A fresh idempotency key per distinct action, reused when the same action is retried. */
export function idempotencyKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
