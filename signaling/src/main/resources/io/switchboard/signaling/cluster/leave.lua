-- Removes a peer. ARGV: room, id, epoch ('' for whatever connection), notify ('1' tells the peer's node to close its
-- connection). Returns 1, or 0 when the peer is gone or now reached through another connection.
local room, id, epoch, notify = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local e = redis.call('HGET', peer_key(room, id), 'epoch')
if not e or (epoch ~= '' and e ~= epoch) then return 0 end
remove(room, id, notify == '1')
settle()
return 1
