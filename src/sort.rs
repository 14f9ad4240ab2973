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
}
