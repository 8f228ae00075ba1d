-- A resume on node `node`. ARGV: room, id, token hash, received (-1 when not given), node.
-- Returns {'ok', epoch, accepted, delivered, {others}, {seq, frame, ...replay}, name, order}, or {'unknown'},
-- {'count', delivered}
-- or {'lost'} (the last two remove the peer).
local room, id, token, received, node = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]
local pk = peer_key(room, id)
local h = redis.call('HMGET', pk, 'token', 'state', 'node', 'delivered', 'sent', 'accepted', 'name', 'order')
if not h[1] or h[1] ~= token or h[2] == 'o' then return {'unknown'} end
local delivered = tonumber(h[4])
local from = tonumber(h[5]) + 1
if received >= 0 then from = received + 1 end
if from > delivered + 1 then
  remove(room, id, true)
  settle()
  return {'count', delivered}
end
local ik = inbox_key(room, id)
local first = redis.call('XRANGE', ik, '-', '+', 'COUNT', 1)[1]
local retained = delivered + 1
if first then retained = seq_of(first[1]) end
if from < retained then
  remove(room, id, true)
  settle()
  return {'lost', from - 1}
end
local epoch = redis.call('HINCRBY', pk, 'epoch', 1)
if h[2] == 'a' then
  redis.call('PUBLISH', node_channel(h[3]), 'R' .. id .. ' ' .. epoch)
end
attach(room, id, node, h[3])
local replay = {}
for _, entry in ipairs(redis.call('XRANGE', ik, from .. '-0', '+')) do
  table.insert(replay, seq_of(entry[1]))
  table.insert(replay, entry[2][2])
end
return {'ok', epoch, tonumber(h[6]), delivered, others(room, id, {}), replay, h[7], tonumber(h[8])}
