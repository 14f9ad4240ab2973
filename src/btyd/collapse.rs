//! Collapsing identical rows into weighted distinct rows (open-addressing hash on the
//! bit patterns of the key columns), then grouping them by frequency.

/// Distinct rows of up to three f64 key columns, with their multiplicities, and for each
/// input row the index of its distinct row.
pub struct Distinct<const K: usize> {
    pub keys: Vec<[f64; K]>,
    pub weight: Vec<f64>,
    /// Distinct-row index of every input row (only filled when asked for).
    pub index: Vec<u32>,
}

#[inline]
fn hash<const K: usize>(k: &[u64; K]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &v in k {
        h = (h ^ v).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= h >> 29;
    }
    h.wrapping_mul(0x94D0_49BB_1331_11EB) ^ (h >> 32)
}

/// Collapse rows `0..n` whose key is `key(i)`; rows with `keep(i) == false` are skipped
/// (their `index` entry is `u32::MAX`).
pub fn distinct<const K: usize>(
    n: usize,
    key: impl Fn(usize) -> [f64; K],
    keep: impl Fn(usize) -> bool,
    want_index: bool,
) -> Distinct<K> {
    let cap = (2 * n).max(16).next_power_of_two();
    let mask = cap - 1;
    let mut table = vec![u32::MAX; cap];
    let mut bits: Vec<[u64; K]> = Vec::new();
    let mut out = Distinct { keys: Vec::new(), weight: Vec::new(), index: Vec::new() };
    if want_index {
        out.index = vec![u32::MAX; n];
    }
    for i in 0..n {
        if !keep(i) {
            continue;
        }
        let k = key(i);
        // +0.0 turns -0.0 into 0.0 so both collapse together.
        let kb: [u64; K] = std::array::from_fn(|j| (k[j] + 0.0).to_bits());
        let mut slot = (hash(&kb) as usize) & mask;
        let id = loop {
            let e = table[slot];
            if e == u32::MAX {
                let id = bits.len() as u32;
                table[slot] = id;
                bits.push(kb);
                out.keys.push(std::array::from_fn(|j| k[j] + 0.0));
                out.weight.push(0.0);
                break id;
            }
            if bits[e as usize] == kb {
                break e;
            }
            slot = (slot + 1) & mask;
        };
        out.weight[id as usize] += 1.0;
        if want_index {
            out.index[i] = id;
        }
    }
    out
}

/// Distinct rows ordered by their first key (the frequency, a whole number ≥ 0) with
/// the row range of each frequency.
pub struct Grouped<const K: usize> {
    pub keys: Vec<[f64; K]>,
    pub weight: Vec<f64>,
    /// (frequency, start, end) per distinct frequency, ascending.
    pub groups: Vec<(f64, usize, usize)>,
}

pub fn group_by_first<const K: usize>(d: Distinct<K>) -> Grouped<K> {
    let n = d.keys.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    let max_x = d.keys.iter().map(|k| k[0]).fold(0.0f64, f64::max);
    if max_x < (4 * n + 1024) as f64 {
        // Counting sort by frequency.
        let m = max_x as usize + 1;
        let mut count = vec![0u32; m + 1];
        for k in &d.keys {
            count[k[0] as usize + 1] += 1;
        }
        for i in 0..m {
            count[i + 1] += count[i];
        }
        for (i, k) in d.keys.iter().enumerate() {
            let c = &mut count[k[0] as usize];
            order[*c as usize] = i as u32;
            *c += 1;
        }
    } else {
        order.sort_unstable_by(|&a, &b| d.keys[a as usize][0].total_cmp(&d.keys[b as usize][0]));
    }
    let keys: Vec<[f64; K]> = order.iter().map(|&i| d.keys[i as usize]).collect();
    let weight: Vec<f64> = order.iter().map(|&i| d.weight[i as usize]).collect();
    let mut groups = Vec::new();
    let mut s = 0;
    while s < n {
        let x = keys[s][0];
        let mut e = s + 1;
        while e < n && keys[e][0] == x {
            e += 1;
        }
        groups.push((x, s, e));
        s = e;
    }
    Grouped { keys, weight, groups }
}
