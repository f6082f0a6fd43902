//! A tiny seeded generator (SplitMix64; Steele, Lea and Flood 2014).
//! Hand-written on purpose and shared by the harness (bootstrap, paired
//! tests) and xtask (the benchmark corpus): a report records its seed, and
//! the stream behind a seed must never change with a dependency upgrade, or
//! recorded intervals and generated corpora could not be reproduced.

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator after `k` draws from `seed`: SplitMix64's state is a
    /// counter, so a resample can start at its own place in the stream and
    /// parallel resampling reproduces the sequential numbers exactly.
    pub fn at(seed: u64, k: u64) -> Self {
        Rng(seed.wrapping_add(k.wrapping_mul(GOLDEN)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; bias < n/2^64).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn jumping_ahead_equals_drawing() {
        let mut r = Rng::new(42);
        for k in 0..100 {
            assert_eq!(Rng::at(42, k).next_u64(), r.next_u64(), "draw {k}");
        }
    }
}
