-- Removes up to `limit` detached peers whose grace period is over; the others in their rooms get peer-left.
-- ARGV: limit. Returns how many were due.
local limit = tonumber(ARGV[3])
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', now, 'LIMIT', 0, limit)
for _, tag in ipairs(due) do
  redis.call('ZREM', EXPIRY, tag)
  local room, id = string.match(tag, '^(%S+) (%S+)$')
  local h = redis.call('HMGET', peer_key(room, id), 'state', 'expire')
  if h[1] == 'd' and tonumber(h[2]) <= now then
    remove(room, id, false)
  end
end
settle()
return #due
