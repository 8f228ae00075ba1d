-- A peer registered with this node that the node does not hold (its join or resume answer was lost with the
-- connection to Redis): it enters its grace period. ARGV: room, id, node, grace in ms.
local room, id, node, grace = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local h = redis.call('HMGET', peer_key(room, id), 'state', 'node')
if h[1] ~= 'a' or h[2] ~= node then
  redis.call('SREM', node_peers_key(node), room .. ' ' .. id)
  return 0
end
if grace == 0 then
  remove(room, id, false)
  settle()
  return 2
end
detach(room, id, node, now_ms() + grace)
return 1
