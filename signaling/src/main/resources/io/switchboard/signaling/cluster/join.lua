-- A fresh join. ARGV: room, id, name, node, token hash, capacity, the peer-joined frame for the others.
-- Returns {'ok', {id, name, ...others in join order}} or {'full'} or {'taken'}.
local room, id, name, node, token = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local capacity, frame = tonumber(ARGV[8]), ARGV[9]
local mk = members_key(room)
if redis.call('ZCARD', mk) >= capacity then return {'full'} end
local pk = peer_key(room, id)
if redis.call('EXISTS', pk) == 1 then return {'taken'} end
local list = others(room, id, {})
local order = redis.call('HINCRBY', meta_key(room), 'joins', 1)
redis.call('HSET', pk, 'name', name, 'node', node, 'epoch', 1, 'state', 'a', 'delivered', 0, 'accepted', 0,
  'sent', 0, 'bytes', 0, 'token', token, 'order', order)
redis.call('ZADD', mk, order, id)
redis.call('SADD', node_peers_key(node), room .. ' ' .. id)
for i = 1, #list, 2 do
  deliver(room, list[i], frame)
end
settle()
return {'ok', list, order}
