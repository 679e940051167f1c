// Lua scripts of the Redis StateStore. Each runs atomically inside Redis, which is what makes a
// record transition (e.g. in_flight -> completed vs. in_flight -> cancelled) have one winner even
// when several relay processes race.

/**
 * The commit of one record plus its effects (StateStore.commit), all or nothing.
 * KEYS[1] record, KEYS[2] version sequence, KEYS[3..] the other keys named below by index.
 * ARGV: expected version ('' = absent), mode (set|del), json, ttl ms, index of the record that
 * must exist ('' = none), effects as a JSON list of [op, key index | channel, arg, arg] (strings;
 * a publish carries the publishing process's id as its message).
 * Records are stored as "<version>|<json>". Returns the new version (0 after a delete) or the
 * refusal ('conflict' | 'missing' | 'full').
 */
export const COMMIT = `
if ARGV[5] ~= '' and redis.call('EXISTS', KEYS[tonumber(ARGV[5])]) == 0 then return 'missing' end
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if string.sub(cur, 1, sep - 1) ~= ARGV[1] then return 'conflict' end
elseif ARGV[1] ~= '' then
  return 'conflict'
end
local effects = cjson.decode(ARGV[6])
for _, e in ipairs(effects) do
  if e[1] == 'push' and e[4] ~= '' and redis.call('LLEN', KEYS[tonumber(e[2])]) >= tonumber(e[4]) then return 'full' end
end
local function put(key, json, ttl)
  local v = redis.call('INCR', KEYS[2])
  if tonumber(ttl) > 0 then
    redis.call('SET', key, v .. '|' .. json, 'PX', ttl)
  else
    redis.call('SET', key, v .. '|' .. json)
  end
  return v
end
local written = 0
if ARGV[2] == 'del' then redis.call('DEL', KEYS[1]) else written = put(KEYS[1], ARGV[3], ARGV[4]) end
for _, e in ipairs(effects) do
  local op = e[1]
  if op == 'pub' then
    redis.call('PUBLISH', e[2], e[3])
  else
    local key = KEYS[tonumber(e[2])]
    if op == 'zadd' then redis.call('ZADD', key, e[4], e[3])
    elseif op == 'zrem' then redis.call('ZREM', key, e[3])
    elseif op == 'sadd' then redis.call('SADD', key, e[3])
    elseif op == 'srem' then redis.call('SREM', key, e[3])
    elseif op == 'push' then redis.call('RPUSH', key, e[3])
    elseif op == 'lrem' then redis.call('LREM', key, 0, e[3])
    elseif op == 'put' then put(key, e[3], e[4])
    elseif op == 'delif' then
      local held = redis.call('GET', key)
      if held and string.sub(held, string.find(held, '|', 1, true) + 1) == e[3] then redis.call('DEL', key) end
    end
  end
end
return written
`;

/**
 * KEYS[1] list; ARGV[1] full key prefix of the records the items name. Returns {item, record} or
 * nil. The record key is derived from the popped item, so it cannot be declared up front: fine
 * on one Redis server (what the relay supports), not for Redis Cluster.
 */
export const TAKE_FRONT = `
local item = redis.call('LPOP', KEYS[1])
if not item then return false end
return {item, redis.call('GET', ARGV[1] .. item)}
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
