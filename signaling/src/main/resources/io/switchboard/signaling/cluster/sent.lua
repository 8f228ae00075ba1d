-- Records how far each peer of a node has been written to its connection, so that a resume without a received
-- count replays from there. ARGV: node, then room, id, epoch, sent for each peer.
local node = ARGV[3]
for i = 4, #ARGV, 4 do
  local pk = peer_key(ARGV[i], ARGV[i + 1])
  local h = redis.call('HMGET', pk, 'epoch', 'node', 'sent')
  local sent = tonumber(ARGV[i + 3])
  if h[1] == ARGV[i + 2] and h[2] == node and sent > (tonumber(h[3]) or 0) then
    redis.call('HSET', pk, 'sent', sent)
  end
end
return 1
