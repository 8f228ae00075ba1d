-- Shared by every Switchboard cluster script: key names, delivery into a peer's inbox and removal of a peer.
-- ARGV[1] and ARGV[2] are always the backlog limits (messages, bytes); a script's own arguments start at ARGV[3].
-- Keys of one room share the hash tag {room}. Peer hash fields: name, node, epoch, state (a = attached to a node,
-- d = detached within its grace period, o = overflowed and being removed), delivered (deliveries so far, the sequence
-- number of the last), accepted (signals accepted from the peer), sent (last sequence number known written to a
-- connection), bytes (bytes kept in the inbox), token (SHA-256 of the resume token), order (join order), expire.

local MAXN = tonumber(ARGV[1])
local MAXB = tonumber(ARGV[2])
local P = 'sb:'
local EXPIRY = P .. 'expiry'
local NODES = P .. 'nodes'
local overflowed = {}

local function peer_key(room, id) return P .. '{' .. room .. '}:peer:' .. id end
local function inbox_key(room, id) return P .. '{' .. room .. '}:inbox:' .. id end
local function members_key(room) return P .. '{' .. room .. '}:members' end
local function meta_key(room) return P .. '{' .. room .. '}:meta' end
local function node_key(node) return P .. 'node:' .. node end
local function node_peers_key(node) return P .. 'node:' .. node .. ':peers' end
local function node_channel(node) return P .. 'chan:' .. node end
local function seq_of(entry_id) return tonumber(string.match(entry_id, '^(%d+)')) end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Appends frame to the inbox of peer id and publishes it to the peer's node when attached. Returns the delivery's
-- sequence number, -1 when there is no such peer, -2 when it is being removed, -3 when this delivery overflowed the
-- backlog of a detached peer (it is then queued in overflowed for removal by settle()).
local function deliver(room, id, frame)
  local pk = peer_key(room, id)
  local h = redis.call('HMGET', pk, 'state', 'node', 'sent')
  if not h[1] then return -1 end
  if h[1] == 'o' then return -2 end
  local seq = redis.call('HINCRBY', pk, 'delivered', 1)
  local ik = inbox_key(room, id)
  redis.call('XADD', ik, seq .. '-0', 'm', frame)
  local bytes = redis.call('HINCRBY', pk, 'bytes', #frame)
  local len = redis.call('XLEN', ik)
  local sent = tonumber(h[3]) or 0
  while len > MAXN or bytes > MAXB do
    local first = redis.call('XRANGE', ik, '-', '+', 'COUNT', 1)[1]
    if h[1] == 'd' and seq_of(first[1]) > sent then
      redis.call('HSET', pk, 'state', 'o', 'bytes', 0)
      redis.call('DEL', ik)
      table.insert(overflowed, {room, id})
      return -3
    end
    redis.call('XDEL', ik, first[1])
    bytes = redis.call('HINCRBY', pk, 'bytes', -#first[2][2])
    len = len - 1
  end
  if h[1] == 'a' then
    redis.call('PUBLISH', node_channel(h[2]), 'D' .. id .. ' ' .. seq .. ' ' .. frame)
  end
  return seq
end

-- Removes peer id from its room; the others get peer-left. With notify, the node holding the peer's connection is
-- told to close it (X message). Returns false when there was no such peer.
local function remove(room, id, notify)
  local pk = peer_key(room, id)
  local h = redis.call('HMGET', pk, 'state', 'node', 'epoch')
  if not h[1] then return false end
  redis.call('DEL', pk, inbox_key(room, id))
  local mk = members_key(room)
  redis.call('ZREM', mk, id)
  local tag = room .. ' ' .. id
  redis.call('ZREM', EXPIRY, tag)
  if h[2] then
    redis.call('SREM', node_peers_key(h[2]), tag)
    if notify and h[1] == 'a' then
      redis.call('PUBLISH', node_channel(h[2]), 'X' .. id .. ' ' .. h[3])
    end
  end
  local rest = redis.call('ZRANGE', mk, 0, -1)
  if #rest == 0 then
    redis.call('DEL', mk, meta_key(room))
  else
    local frame = '{"type":"peer-left","id":"' .. id .. '"}'
    for _, other in ipairs(rest) do
      deliver(room, other, frame)
    end
  end
  return true
end

-- Removes every peer whose backlog overflowed, including those overflowed by the peer-left of an earlier removal.
local function settle()
  while #overflowed > 0 do
    local o = table.remove(overflowed, 1)
    remove(o[1], o[2], false)
  end
end

-- Sets a peer attached to node: registers it with the node and takes it off the expiry list.
local function attach(room, id, node, previous)
  local tag = room .. ' ' .. id
  if previous and previous ~= node then
    redis.call('SREM', node_peers_key(previous), tag)
  end
  redis.call('SADD', node_peers_key(node), tag)
  redis.call('ZREM', EXPIRY, tag)
  redis.call('HSET', peer_key(room, id), 'state', 'a', 'node', node)
  redis.call('HDEL', peer_key(room, id), 'expire')
end

-- Sets a peer detached: it leaves at expire_at (milliseconds of Redis time) unless it resumes.
local function detach(room, id, node, expire_at)
  local tag = room .. ' ' .. id
  if node then
    redis.call('SREM', node_peers_key(node), tag)
  end
  redis.call('HSET', peer_key(room, id), 'state', 'd', 'expire', expire_at)
  redis.call('ZADD', EXPIRY, expire_at, tag)
end

-- Name and id of every member of room but skip, in join order, flattened.
local function others(room, skip, result)
  for _, other in ipairs(redis.call('ZRANGE', members_key(room), 0, -1)) do
    if other ~= skip then
      table.insert(result, other)
      table.insert(result, redis.call('HGET', peer_key(room, other), 'name') or '')
    end
  end
  return result
end
