// Lua scripts of the Redis StateStore. Each runs atomically inside Redis, which is what makes a
// record transition (e.g. in_flight -> completed vs. in_flight -> cancelled) have one winner even
// when several relay processes race.

/** KEYS[1] record, KEYS[2] version sequence; ARGV: expected version ('' = absent), mode (set|del), json, ttl ms. */
export const COMPARE_AND_SET = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if string.sub(cur, 1, sep - 1) ~= ARGV[1] then return 0 end
elseif ARGV[1] ~= '' then
  return 0
end
if ARGV[2] == 'del' then
  redis.call('DEL', KEYS[1])
  return 1
end
local v = redis.call('INCR', KEYS[2])
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('SET', KEYS[1], v .. '|' .. ARGV[3], 'PX', ttl)
else
  redis.call('SET', KEYS[1], v .. '|' .. ARGV[3])
end
return 1
`;

/** KEYS[1] list; ARGV: item, max. */
export const PUSH_BOUNDED = `
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1
`;

/** KEYS[1] counter; ARGV: window ms. Returns {count, ttl ms}. */
export const WINDOW_HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;
