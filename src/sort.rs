//! Sorting with few instantiations. Every distinct element type and comparator of the standard
//! library's sorts compiles to its own 5–12 KiB of quicksort (stable ones more) in the .wasm;
//! short lists use one small insertion sort instead, and f64 columns one shared total-order sort.

/// Stable insertion sort for short slices (one customer's flags, a handful of upgrade paths or
/// fit starts): `less(a, b)` says a goes before b; equal elements keep their order.
pub fn insertion_sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// f64 values in IEEE total order (−NaN … −0 < +0 … NaN). Equal values under that order are
/// bit-identical, so stability does not matter and one instantiation serves the crate.
pub fn sort_f64(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

/// Sort `v` ascending: least-significant-digit radix sort, 11 bits a pass, skipping the
/// passes whose digit is the same in every key (6 passes at most; O(n), one scratch copy).
/// For large key columns (a million revenues as f64 bits) it is several times faster than a
/// comparison sort.
pub fn radix_sort_u64(v: &mut Vec<u64>) {
    const BITS: u32 = 11;
    const B: usize = 1 << BITS;
    if v.len() < 256 {
        v.sort_unstable();
        return;
    }
    let mut tmp = vec![0u64; v.len()];
    let mut counts = vec![0usize; B];
    let mut shift = 0;
    while shift < 64 {
        counts.iter_mut().for_each(|c| *c = 0);
        for &k in v.iter() {
            counts[((k >> shift) as usize) & (B - 1)] += 1;
        }
        if counts.contains(&v.len()) {
            shift += BITS;
            continue;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let x = *c;
            *c = sum;
            sum += x;
        }
        for &k in v.iter() {
            let d = ((k >> shift) as usize) & (B - 1);
            tmp[counts[d]] = k;
            counts[d] += 1;
        }
        std::mem::swap(v, &mut tmp);
        shift += BITS;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertion_sort_is_stable_and_sorted() {
        let mut v: Vec<(u8, usize)> = [3u8, 1, 3, 0, 1, 2, 3, 0]
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i))
            .collect();
        let mut want = v.clone();
        want.sort_by_key(|x| x.0);
        insertion_sort_by(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, want);
    }

    #[test]
    fn sort_f64_total_order() {
        let mut v = vec![2.0, -0.0, f64::NAN, 0.0, -1.5, f64::INFINITY];
        sort_f64(&mut v);
        let bits: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
        let mut want = [2.0, -0.0, f64::NAN, 0.0, -1.5, f64::INFINITY];
        want.sort_by(f64::total_cmp);
        assert_eq!(bits, want.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
    }

    #[test]
    fn radix_sort_equals_comparison_sort() {
        let mut r = crate::sample::Rng::new(3);
        for n in [0usize, 5, 300, 5000] {
            // Positive f64 bits (few distinct high digits: skipped passes) and raw u64s.
            let mut a: Vec<u64> = (0..n)
                .map(|_| (r.uniform() * 1e4).round().to_bits())
                .collect();
            let mut b: Vec<u64> = (0..n)
                .map(|_| (r.uniform() * u64::MAX as f64) as u64)
                .collect();
            for v in [&mut a, &mut b] {
                let mut want = v.clone();
                want.sort_unstable();
                radix_sort_u64(v);
                assert_eq!(*v, want);
            }
        }
    }
}
