-- Detaches up to `limit` peers of a node whose lease ran out; they leave unless they resume within the grace period.
-- ARGV: dead node, grace in ms, limit. Returns how many were looked at, or -1 when the node is alive after all.
local dead, grace, limit = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('EXISTS', node_key(dead)) == 1 then return -1 end
local npk = node_peers_key(dead)
local tags = redis.call('SPOP', npk, limit)
local expire_at = now_ms() + grace
for _, tag in ipairs(tags) do
  local room, id = string.match(tag, '^(%S+) (%S+)$')
  local h = redis.call('HMGET', peer_key(room, id), 'state', 'node')
  if h[1] == 'a' and h[2] == dead then
    if grace == 0 then
      remove(room, id, false)
    else
      detach(room, id, nil, expire_at)
    end
  end
end
settle()
if redis.call('SCARD', npk) == 0 then
  redis.call('SREM', NODES, dead)
end
return #tags
