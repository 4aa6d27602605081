/**
 * The shared tier's Lua scripts (ioredis `defineCommand`: EVALSHA, EVAL when the server does not
 * have it yet). Each runs atomically, so no replica sees half of another's step. Standalone Redis
 * or Valkey: the scripts touch keys they were not given, which Redis Cluster would refuse.
 */
export const SCRIPTS = {
  /**
   * KEYS: entry, its object's index, the fill's lock. ARGV: lock token, lock ms, '1' to look for
   * the entry first. The entry (served while its index lists it: {1, value}), else the lock taken
   * ({2}), else the lock's remaining ms ({3, pttl}).
   */
  osClaim: {
    numberOfKeys: 3,
    lua: `
if ARGV[3] == '1' and redis.call('SISMEMBER', KEYS[2], KEYS[1]) == 1 then
  local v = redis.call('GET', KEYS[1])
  if v then return {1, v} end
end
if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {3, redis.call('PTTL', KEYS[3])}`,
  },
  /** KEYS: entry, index. ARGV: entry key (as the index lists it). Its value while the index lists it. */
  osGet: {
    numberOfKeys: 2,
    lua: `
if redis.call('SISMEMBER', KEYS[2], KEYS[1]) == 1 then return redis.call('GET', KEYS[1]) end
return false`,
  },
  /** KEYS: entry, index. ARGV: value, ttl ms. The index lives as long as its longest-lived entry. */
  osPut: {
    numberOfKeys: 2,
    lua: `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1`,
  },
  /** KEYS: an object's index. ARGV: channel, message ('' : none). Drops it and its entries; how many entries there were. */
  osDrop: {
    numberOfKeys: 1,
    lua: `
local m = redis.call('SMEMBERS', KEYS[1])
local n = 0
for i = 1, #m, 500 do n = n + redis.call('DEL', unpack(m, i, math.min(i + 499, #m))) end
redis.call('DEL', KEYS[1])
if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return n`,
  },
  /** KEYS: a lock. ARGV: token, channel, message. Frees it if it is still this token's; says so to the fleet. */
  osRelease: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`,
  },
} as const;

/** The scripts as ioredis adds them to a client (the Buffer variants answer bulk strings as Buffers). */
export interface ScriptCommands {
  osClaimBuffer(entry: string, index: string, lock: string, token: string, lockMs: number, look: '1' | '0'): Promise<[number, Buffer | number] | [number]>;
  osGetBuffer(entry: string, index: string): Promise<Buffer | null>;
  osPut(entry: string, index: string, value: Buffer, ttlMs: number): Promise<number>;
  osDrop(index: string, channel: string, message: string): Promise<number>;
  osRelease(lock: string, token: string, channel: string, message: string): Promise<number>;
}
