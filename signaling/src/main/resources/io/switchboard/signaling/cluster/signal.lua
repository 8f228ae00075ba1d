-- A signal from peer `from` (reached with connection epoch `epoch`) to peer `to` of the same room.
-- ARGV: room, from, epoch, to, frame. Returns the delivery's sequence number (> 0), -1 or -2 (unknown peer: none,
-- or leaving), -3 (its backlog overflowed: it leaves, so unknown peer too), or -4 (the sender's connection no longer
-- carries the peer: not joined).
local room, from, epoch, to, frame = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local sk = peer_key(room, from)
if redis.call('HGET', sk, 'epoch') ~= epoch then return -4 end
redis.call('HINCRBY', sk, 'accepted', 1)
local result = deliver(room, to, frame)
settle()
return result
