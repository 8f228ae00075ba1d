-- After an outage, node re-asserts a peer it holds. ARGV: node, how ('1' after Redis lost its data: re-create what
-- is missing; '2' after the node's lease ran out while it kept its connections: deliveries not read back here still
-- come through Pub/Sub, so a trimmed one is no loss; '0' otherwise), room, id,
-- name, epoch, token hash, join order, base (last sequence number from Redis written to the peer), state ('a' connected
-- or 'd' dropped during the outage), grace left in ms, signals accepted in all, signals accepted during the outage,
-- sent, then the frames delivered on this node during the outage (they take the numbers base+1...).
-- Returns {'ok', delivered, {seq, frame, ...deliveries the peer has not got yet}}, {'gone'}, {'replaced'} or {'lost'}.
local node, recreate, strict = ARGV[3], ARGV[4] == '1', ARGV[4] ~= '2'
local room, id, name, epoch, token = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local order, base, state, grace = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12], tonumber(ARGV[13])
local accepted, delta, sent = tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16])
local frames = {}
for i = 17, #ARGV do table.insert(frames, ARGV[i]) end
local pk = peer_key(room, id)
local ik = inbox_key(room, id)

local function settle_state(previous_node)
  if state == 'a' then
    attach(room, id, node, previous_node)
  else
    detach(room, id, previous_node, now_ms() + grace)
  end
end

local h = redis.call('HMGET', pk, 'epoch', 'delivered', 'state', 'node')
if not h[1] then
  if not recreate then return {'gone'} end
  local delivered = base + #frames
  local bytes = 0
  for i, f in ipairs(frames) do
    redis.call('XADD', ik, (base + i) .. '-0', 'm', f)
    bytes = bytes + #f
  end
  redis.call('HSET', pk, 'name', name, 'node', node, 'epoch', epoch, 'state', state, 'delivered', delivered,
    'accepted', accepted, 'sent', sent, 'bytes', bytes, 'token', token, 'order', order)
  redis.call('ZADD', members_key(room), order, id)
  local joins = tonumber(redis.call('HGET', meta_key(room), 'joins')) or 0
  if order > joins then redis.call('HSET', meta_key(room), 'joins', order) end
  settle_state(nil)
  return {'ok', delivered, {}}
end
if h[1] ~= epoch then
  for _, f in ipairs(frames) do deliver(room, id, f) end
  settle()
  return {'replaced'}
end
local delivered = tonumber(h[2])
local remote = {}
if delivered > base then
  remote = redis.call('XRANGE', ik, (base + 1) .. '-0', '+')
  if strict and (#remote == 0 or seq_of(remote[1][1]) ~= base + 1) then
    remove(room, id, false)
    settle()
    return {'lost'}
  end
end
if #frames > 0 then
  local kept = {}
  if base > 0 then kept = redis.call('XRANGE', ik, '-', base .. '-0') end
  redis.call('DEL', ik)
  local bytes = 0
  for _, e in ipairs(kept) do
    redis.call('XADD', ik, e[1], 'm', e[2][2])
    bytes = bytes + #e[2][2]
  end
  for i, f in ipairs(frames) do
    redis.call('XADD', ik, (base + i) .. '-0', 'm', f)
    bytes = bytes + #f
  end
  for j, e in ipairs(remote) do
    redis.call('XADD', ik, (base + #frames + j) .. '-0', 'm', e[2][2])
    bytes = bytes + #e[2][2]
  end
  delivered = base + #frames + #remote
  redis.call('HSET', pk, 'delivered', delivered, 'bytes', bytes)
end
redis.call('HINCRBY', pk, 'accepted', delta)
redis.call('HSET', pk, 'sent', sent)
settle_state(h[4])
local out = {}
for j, e in ipairs(remote) do
  table.insert(out, base + #frames + j)
  table.insert(out, e[2][2])
end
return {'ok', delivered, out}
