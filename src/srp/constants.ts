import { createHash } from 'node:crypto';

/**
 * The 3072-bit MODP prime of RFC 3526 (group 15), the group Cognito's SRP uses.
 * Cognito pairs it with g = 2 (RFC 5054's 3072-bit group has the same prime but g = 5).
 */
export const N_HEX =
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
  'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
  'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
  '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
  'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
  '15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7' +
  'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c' +
  'bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff';

/** The group prime. */
export const N: bigint = BigInt(`0x${N_HEX}`);

/** The generator. */
export const g: bigint = 2n;

/** Size of the group prime in bytes. */
export const N_BYTES = 384;

/**
 * Bytes of the random secret exponents (`a`, `b`): 448 bits. RFC 3526 §8 sizes exponents for this group at
 * 260–420 bits (twice its 130–210-bit strength estimates); AWS's clients use 1024 bits, which only makes the
 * two big exponentiations of a sign-in about twice as slow without adding strength beyond the group's own.
 * The exponent never leaves the client, so Cognito cannot tell the difference.
 */
export const EPHEMERAL_SECRET_BYTES = 56;

/**
 * The SRP-6a multiplier k = H(PAD(N) || PAD(g)). N's top bit is set, so PAD(N) = 0x00 || N; PAD(g) = 0x02.
 * Equals 0x538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6.
 */
export const k: bigint = BigInt(
  `0x${createHash('sha256')
    .update(Buffer.from(`00${N_HEX}02`, 'hex'))
    .digest('hex')}`,
);

/** The HKDF info string Cognito uses to derive the 16-byte session key. */
export const HKDF_INFO = 'Caldera Derived Key';

/** Length of the derived key in bytes. */
export const DERIVED_KEY_BYTES = 16;
