/**
 * The one spelling of a wall-clock time, for validators and the OpenAPI
 * document alike (`pattern` there is a regular expression, not a picture such
 * as "HH:mm"). parseWallTime accepts exactly these strings (see the spec).
 */

/** "HH:mm", 00:00..23:59: when something starts. */
export const WALL_TIME_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
/** "HH:mm" or "24:00", the end of the day: when a window ends. */
export const WALL_TIME_END_PATTERN = '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$';

export const WALL_TIME = new RegExp(WALL_TIME_PATTERN);
export const WALL_TIME_END = new RegExp(WALL_TIME_END_PATTERN);
