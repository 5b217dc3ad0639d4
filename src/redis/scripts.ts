import { createHash } from 'node:crypto';

/** A Lua script sent with EVALSHA, and with EVAL once when Redis answers NOSCRIPT (restart, SCRIPT FLUSH, failover). */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

function lua(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS[1] value, KEYS[2] lock; ARGV[1] fence, ARGV[2] value, ARGV[3] ttl ms, ARGV[4] channel.
 * Writes only while the lock still holds this fence, then publishes: 1 written, 0 lock lost.
 */
export const FENCED_SET = lua(`if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('PUBLISH', ARGV[4], 'set')
  return 1
end
return 0`);

/** KEYS[1] lock; ARGV[1] fence, ARGV[2] channel. Compare-and-delete, then publish: 1 released, 0 not held. */
export const FENCED_UNLOCK = lua(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'unlock')
  return 1
end
return 0`);

/** KEYS[1] lock; ARGV[1] fence, ARGV[2] ttl ms. Extends the lock only while it holds this fence: 1 extended, 0 lost. */
export const FENCED_EXTEND = lua(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`);
