export * from './types';
export { addMinutes, toIso } from './time';
export { WALL_TIME, WALL_TIME_END, WALL_TIME_PATTERN, WALL_TIME_END_PATTERN } from './wall-time-patterns';
export { parseWallTime, isValidTimeZone, formatWallTime, wallClockAt, wallDateText, wallTimeText } from './wall-time';
export type { WallClock } from './wall-time';
export { validateWeeklyRules, rulesOutsideSociableHours } from './rules';
export { expandWeeklyRules, sociableIntervals, isWithinSociableHours, seriesStarts } from './calendar';
export {
  mergeIntervals,
  intersectIntervals,
  subtractIntervals,
  isInsideAnyWindow,
  overlapsBuffered,
} from './intervals';
export { generateSlots } from './slots';
export { clearZoneCache } from './zone-clock';
