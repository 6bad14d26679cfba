import { storageApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { TimeZoneChoice } from '../lib/time';

const BUCKET = 'dash';
const KEY = 'timeZone';

function valid(v: unknown): TimeZoneChoice {
  return v === 'utc' ? 'utc' : 'local';
}

/** Local time or UTC, remembered per user in Backstage's storage API (user settings). */
export function useTimeZonePreference(): [
  TimeZoneChoice,
  (tz: TimeZoneChoice) => void,
] {
  const storageApi = useApi(storageApiRef);
  const bucket = useMemo(() => storageApi.forBucket(BUCKET), [storageApi]);
  const [tz, setTz] = useState<TimeZoneChoice>(() =>
    valid(bucket.snapshot<string>(KEY).value),
  );
  useEffect(() => {
    const subscription = bucket
      .observe$<string>(KEY)
      .subscribe(snapshot => setTz(valid(snapshot.value)));
    return () => subscription.unsubscribe();
  }, [bucket]);
  const choose = useCallback(
    (next: TimeZoneChoice) => {
      setTz(next);
      bucket.set(KEY, next).catch(() => {
        // Not remembered (storage unavailable); the choice still applies to this page.
      });
    },
    [bucket],
  );
  return [tz, choose];
}
