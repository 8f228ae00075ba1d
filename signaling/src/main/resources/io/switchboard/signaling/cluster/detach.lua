-- The connection of a peer dropped: it keeps its id and room for the grace period. ARGV: room, id, epoch, node,
-- sent (last sequence number written to the connection), grace in ms (0 removes the peer at once).
-- Returns 1 (detached), 2 (removed) or 0 (another connection or node took the peer over meanwhile).
local room, id, epoch, node, sent, grace = ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local pk = peer_key(room, id)
local h = redis.call('HMGET', pk, 'epoch', 'node', 'delivered', 'state')
if not h[1] or h[1] ~= epoch or h[2] ~= node or h[4] == 'o' then return 0 end
if grace == 0 or tonumber(h[3]) - sent > MAXN then
  remove(room, id, false)
  settle()
  return 2
end
local known = redis.call('HGET', pk, 'sent')
if sent > (tonumber(known) or 0) then
  redis.call('HSET', pk, 'sent', sent)
end
detach(room, id, node, now_ms() + grace)
return 1
