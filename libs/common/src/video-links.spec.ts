import { ConfigError, isHttpsUrl, loadConfig, videoJoinUrl } from './config';

describe('VIDEO_ROOM_BASE_URL and video links', () => {
  it('accepts an https base and drops a trailing slash; unset is fine', () => {
    expect(loadConfig({ VIDEO_ROOM_BASE_URL: 'https://meet.example.org/support/' }).videoRoomBaseUrl).toBe(
      'https://meet.example.org/support',
    );
    expect(loadConfig({ VIDEO_ROOM_BASE_URL: 'https://meet.example.org' }).videoRoomBaseUrl).toBe(
      'https://meet.example.org',
    );
    expect(loadConfig({}).videoRoomBaseUrl).toBeUndefined();
    expect(loadConfig({ VIDEO_ROOM_BASE_URL: '' }).videoRoomBaseUrl).toBeUndefined();
  });

  it.each([
    'http://meet.example.org',
    'meet.example.org',
    'https://u:p@meet.example.org',
    'https://meet.example.org/x?room=',
    'https://meet.example.org/#a',
    'ftp://x.org',
    'https://a b.org',
  ])('refuses %s at start-up, naming the variable', (value) => {
    expect(() => loadConfig({ VIDEO_ROOM_BASE_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ VIDEO_ROOM_BASE_URL: value })).toThrow(/VIDEO_ROOM_BASE_URL/);
  });

  it('isHttpsUrl: https with a host, no credentials, no spaces, at most 500 characters', () => {
    expect(isHttpsUrl('https://video.example.net/dr-shah')).toBe(true);
    expect(isHttpsUrl(`https://x.org/${'a'.repeat(486)}`)).toBe(true);
    expect(isHttpsUrl(`https://x.org/${'a'.repeat(487)}`)).toBe(false);
    for (const bad of [
      'http://x.org',
      'javascript:alert(1)',
      'https://',
      'https://u@x.org',
      ' https://x.org',
      'data:text/html,x',
    ])
      expect(isHttpsUrl(bad)).toBe(false);
  });

  it('videoJoinUrl: the supporter’s own link first, else the room under the base, else none', () => {
    expect(videoJoinUrl('https://own.example/me', 'https://meet.example.org', 'room1')).toBe('https://own.example/me');
    expect(videoJoinUrl(null, 'https://meet.example.org', 'room1')).toBe('https://meet.example.org/room1');
    // the link follows the base: a new base gives a new link for the same stored room
    expect(videoJoinUrl(null, 'https://jitsi.example.com', 'room1')).toBe('https://jitsi.example.com/room1');
    expect(videoJoinUrl(null, undefined, 'room1')).toBeNull();
    expect(videoJoinUrl(null, 'https://meet.example.org', null)).toBeNull();
  });
});
