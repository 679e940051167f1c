// Lua scripts of the Redis StateStore. Each runs atomically inside Redis, which is what makes a
// record transition (e.g. in_flight -> completed vs. in_flight -> cancelled) have one winner even
// when several relay processes race.

/**
 * The commit of one record plus its effects (StateStore.commit), all or nothing.
 * KEYS[1] record, KEYS[2] version sequence, KEYS[3..] the other keys named below by index.
 * ARGV: expected version ('' = absent), mode (set|del), json, ttl ms, index of the record that
 * must exist ('' = none), effects as a JSON list of [op, key index | channel, arg, arg] (strings;
 * a publish carries the publishing process's id as its message), shard count, shard (a version is
 * sequence · count + shard: unique across the shards of a cluster; 1 and 0 on one server).
 * Records are stored as "<version>|<json>". Returns the new version (0 after a delete) or the
 * refusal ('conflict' | 'missing' | 'full'). Every key it touches is in KEYS (a cluster routes by them).
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
  local v = redis.call('INCR', KEYS[2]) * tonumber(ARGV[7]) + tonumber(ARGV[8])
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
    elseif op == 'xdrop' then
      -- e: stream position, chunk list, total counter, size list (key indexes), ttl ms
      local b = tonumber(redis.call('HGET', key, 'b') or '0')
      if b > 0 then redis.call('DECRBY', KEYS[tonumber(e[4])], b) end
      redis.call('DEL', KEYS[tonumber(e[3])], KEYS[tonumber(e[5])])
      if redis.call('EXISTS', key) == 1 then
        redis.call('HSET', key, 'c', 0, 'b', 0)
        redis.call('PEXPIRE', key, e[6])
      end
    end
  end
end
return written
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

/**
 * §11.4 one stream append (StateStore.streamAppend), all or nothing. A stream is a hash (epoch e,
 * next sequence n, final f, unread chunks c, their ciphertext characters b), the list of unread
 * chunks and the parallel list of their sizes; one counter holds the characters of all streams.
 * KEYS: guard record, position hash, chunk list, size list, total counter.
 * ARGV: guard version, epoch, first sequence, final-last (0|1), max chunks, max characters, max
 * total, ttl ms, channel, origin, n, then n chunks, then n sizes.
 * Returns {outcome, stored | scope (1 request, 2 relay), next, final (0|1), chunks, characters}.
 */
export const STREAM_APPEND = `
local cur = redis.call('GET', KEYS[1])
if not cur or string.sub(cur, 1, string.find(cur, '|', 1, true) - 1) ~= ARGV[1] then return {'conflict'} end
local m = redis.call('HMGET', KEYS[2], 'e', 'n', 'f', 'c', 'b')
if m[1] and m[1] ~= ARGV[2] then
  local old = tonumber(m[5]) or 0
  if old > 0 then redis.call('DECRBY', KEYS[5], old) end
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
  m = {}
end
local nxt = tonumber(m[2]) or 0
local fin = m[3] == '1' and 1 or 0
local cnt = tonumber(m[4]) or 0
local bytes = tonumber(m[5]) or 0
local first = tonumber(ARGV[3])
local n = tonumber(ARGV[11])
local skip = math.max(0, nxt - first)
if skip >= n then return {'appended', 0, nxt, fin, cnt, bytes} end
if first + skip ~= nxt or fin == 1 then return {'sequence', 0, nxt, fin, cnt, bytes} end
local chunks, sizes, adding = {}, {}, 0
for i = skip + 1, n do
  chunks[#chunks + 1] = ARGV[11 + i]
  sizes[#sizes + 1] = ARGV[11 + n + i]
  adding = adding + tonumber(ARGV[11 + n + i])
end
if cnt + #chunks > tonumber(ARGV[5]) or bytes + adding > tonumber(ARGV[6]) then return {'full', 1, nxt, fin, cnt, bytes} end
if tonumber(redis.call('GET', KEYS[5]) or '0') + adding > tonumber(ARGV[7]) then return {'full', 2, nxt, fin, cnt, bytes} end
redis.call('RPUSH', KEYS[3], unpack(chunks))
redis.call('RPUSH', KEYS[4], unpack(sizes))
nxt = first + n
cnt = cnt + #chunks
bytes = bytes + adding
redis.call('HSET', KEYS[2], 'e', ARGV[2], 'n', nxt, 'f', ARGV[4], 'c', cnt, 'b', bytes)
for k = 2, 4 do redis.call('PEXPIRE', KEYS[k], ARGV[8]) end
redis.call('INCRBY', KEYS[5], adding)
redis.call('PUBLISH', ARGV[9], ARGV[10])
return {'appended', #chunks, nxt, tonumber(ARGV[4]), cnt, bytes}
`;

/**
 * §11.5 one stream read (StateStore.streamRead): acknowledges (drops) every chunk up to `after`,
 * then returns up to `max` of the rest. KEYS: position hash, chunk list, size list, total counter.
 * ARGV: after, max. Returns {'none'} or {epoch, next, final, chunks, characters, chunk…}.
 */
export const STREAM_READ = `
local m = redis.call('HMGET', KEYS[1], 'e', 'n', 'f', 'c', 'b')
if not m[1] then return {'none'} end
local nxt = tonumber(m[2])
local cnt = tonumber(m[4])
local bytes = tonumber(m[5])
local ack = math.min(cnt, math.max(0, tonumber(ARGV[1]) + 1 - (nxt - cnt)))
if ack > 0 then
  local freed = 0
  for _, size in ipairs(redis.call('LRANGE', KEYS[3], 0, ack - 1)) do freed = freed + tonumber(size) end
  redis.call('LTRIM', KEYS[2], ack, -1)
  redis.call('LTRIM', KEYS[3], ack, -1)
  cnt = cnt - ack
  bytes = bytes - freed
  redis.call('HSET', KEYS[1], 'c', cnt, 'b', bytes)
  redis.call('DECRBY', KEYS[4], freed)
end
local out = {m[1], nxt, tonumber(m[3]), cnt, bytes}
if cnt > 0 then
  for _, chunk in ipairs(redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)) do out[#out + 1] = chunk end
end
return out
`;
