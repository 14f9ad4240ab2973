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
    let mut out = Distinct {
        keys: Vec::new(),
        weight: Vec::new(),
        index: Vec::new(),
    };
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
    Grouped {
        keys,
        weight,
        groups,
    }
}

/// Dense ids for f64 values (by bit pattern, −0 as +0): a small open-addressing table
/// that doubles as needed, so a column with few distinct values (ages and recencies in
/// whole days) stays cache-resident.
pub struct Dict {
    table: Vec<u32>,
    mask: usize,
    shift: u32,
    pub values: Vec<f64>,
    bits: Vec<u64>,
}

/// Multiplicative hash: the top `64 − shift` bits of the mixed product.
#[inline]
fn hash1(v: u64, shift: u32) -> usize {
    ((v ^ (v >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> shift) as usize
}

impl Dict {
    pub fn new() -> Dict {
        Dict {
            table: vec![u32::MAX; 1024],
            mask: 1023,
            shift: 64 - 10,
            values: Vec::new(),
            bits: Vec::new(),
        }
    }
    pub fn len(&self) -> usize {
        self.values.len()
    }
    #[inline]
    pub fn id(&mut self, v: f64) -> u32 {
        let v = v + 0.0;
        let b = v.to_bits();
        let mut slot = hash1(b, self.shift);
        loop {
            let e = self.table[slot];
            if e == u32::MAX {
                let id = self.values.len() as u32;
                self.table[slot] = id;
                self.values.push(v);
                self.bits.push(b);
                if 2 * self.values.len() > self.table.len() {
                    self.grow();
                }
                return id;
            }
            if self.bits[e as usize] == b {
                return e;
            }
            slot = (slot + 1) & self.mask;
        }
    }
    fn grow(&mut self) {
        let cap = self.table.len() * 2;
        self.table = vec![u32::MAX; cap];
        self.mask = cap - 1;
        self.shift -= 1;
        for (id, &b) in self.bits.iter().enumerate() {
            let mut slot = hash1(b, self.shift);
            while self.table[slot] != u32::MAX {
                slot = (slot + 1) & self.mask;
            }
            self.table[slot] = id as u32;
        }
    }
}

impl Default for Dict {
    fn default() -> Self {
        Dict::new()
    }
}

fn bits_for(n: u64) -> u32 {
    64 - n.saturating_sub(1).leading_zeros()
}

/// LSD radix sort of keys that fit in `bits` bits (11-bit digits).
pub fn radix_sort(keys: &mut Vec<u64>, bits: u32) {
    const D: u32 = 11;
    let mut tmp = vec![0u64; keys.len()];
    let mut shift = 0;
    while shift < bits {
        let mut count = vec![0usize; (1 << D) + 1];
        for &k in keys.iter() {
            count[((k >> shift) & ((1 << D) - 1)) as usize + 1] += 1;
        }
        for i in 0..(1 << D) {
            count[i + 1] += count[i];
        }
        for &k in keys.iter() {
            let c = &mut count[((k >> shift) & ((1 << D) - 1)) as usize];
            tmp[*c] = k;
            *c += 1;
        }
        std::mem::swap(keys, &mut tmp);
        shift += D;
    }
}

/// (frequency, t_x, T) rows collapsed and grouped by frequency, with t_x and T as ids
/// into tables of their distinct values.
pub struct Xtt {
    /// (frequency, start, end) per distinct frequency, ascending.
    pub groups: Vec<(f64, usize, usize)>,
    pub t_id: Vec<u32>,
    pub tx_id: Vec<u32>,
    pub weight: Vec<f64>,
    pub t_values: Vec<f64>,
    pub tx_values: Vec<f64>,
}

/// Collapse validated (x, t_x·scale, T·scale) rows: value ids from two small
/// dictionaries, packed into one u64 key per row, radix-sorted and deduplicated —
/// no per-row hashing into a large table.
pub fn collapse_xtt(x: &[f64], tx: &[f64], t: &[f64], scale: f64) -> Xtt {
    let n = x.len();
    let (mut td, mut xd) = (Dict::new(), Dict::new());
    let tid: Vec<u32> = t.iter().map(|&v| td.id(v * scale)).collect();
    let xid: Vec<u32> = tx.iter().map(|&v| xd.id(v * scale)).collect();
    let max_x = x.iter().copied().fold(0.0, f64::max) as u64;
    let (bt, bx, bf) = (
        bits_for(td.len() as u64),
        bits_for(xd.len() as u64),
        bits_for(max_x + 1),
    );
    let mut out = Xtt {
        groups: Vec::new(),
        t_id: Vec::new(),
        tx_id: Vec::new(),
        weight: Vec::new(),
        t_values: Vec::new(),
        tx_values: Vec::new(),
    };
    if bt + bx + bf <= 64 {
        let mut keys: Vec<u64> = (0..n)
            .map(|i| {
                (x[i] as u64).checked_shl(bt + bx).unwrap_or(0)
                    | ((tid[i] as u64) << bx)
                    | xid[i] as u64
            })
            .collect();
        radix_sort(&mut keys, bt + bx + bf);
        let mut i = 0;
        while i < n {
            let k = keys[i];
            let mut j = i + 1;
            while j < n && keys[j] == k {
                j += 1;
            }
            let f = k.checked_shr(bt + bx).unwrap_or(0) as f64;
            match out.groups.last_mut() {
                Some(g) if g.0 == f => g.2 += 1,
                _ => out.groups.push((f, out.weight.len(), out.weight.len() + 1)),
            }
            out.t_id
                .push(((k >> bx) & (1u64 << bt).wrapping_sub(1)) as u32);
            out.tx_id.push((k & (1u64 << bx).wrapping_sub(1)) as u32);
            out.weight.push((j - i) as f64);
            i = j;
        }
    } else {
        // Keys too wide to pack (not met with real data): hash the id triples.
        let d = distinct(n, |i| [x[i], tid[i] as f64, xid[i] as f64], |_| true, false);
        let g = group_by_first(d);
        out.groups = g.groups;
        out.t_id = g.keys.iter().map(|k| k[1] as u32).collect();
        out.tx_id = g.keys.iter().map(|k| k[2] as u32).collect();
        out.weight = g.weight;
    }
    out.t_values = td.values;
    out.tx_values = xd.values;
    out
}

/// Distinct (frequency, T) pairs with the index of each row's pair: T values get ids
/// from a [`Dict`], and when (max frequency + 1) × (distinct T) is small the pair id is
/// found in a dense table (no hashing of the pair).
pub fn distinct_xt(x: &[f64], t: &[f64]) -> Distinct<2> {
    let n = x.len();
    let mut td = Dict::new();
    let tid: Vec<u32> = t.iter().map(|&v| td.id(v)).collect();
    let max_x = x.iter().copied().fold(0.0, f64::max);
    let cells = (max_x + 1.0) * td.len() as f64;
    if cells > (4 * n + 65_536) as f64 {
        return distinct(n, |i| [x[i], t[i]], |_| true, true);
    }
    let nt = td.len();
    let mut dense = vec![u32::MAX; cells as usize];
    let mut out = Distinct {
        keys: Vec::new(),
        weight: Vec::new(),
        index: Vec::with_capacity(n),
    };
    for i in 0..n {
        let cell = &mut dense[x[i] as usize * nt + tid[i] as usize];
        if *cell == u32::MAX {
            *cell = out.keys.len() as u32;
            out.keys.push([x[i] + 0.0, td.values[tid[i] as usize]]);
            out.weight.push(0.0);
        }
        out.weight[*cell as usize] += 1.0;
        out.index.push(*cell);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_collapse_equals_hashing() {
        let mut rng = crate::sample::Rng::new(3);
        let n = 20_000;
        let x: Vec<f64> = (0..n).map(|_| (rng.uniform() * 6.0).floor()).collect();
        let t: Vec<f64> = (0..n)
            .map(|_| (rng.uniform() * 300.0).floor() / 7.0)
            .collect();
        let tx: Vec<f64> = (0..n)
            .map(|i| {
                if x[i] == 0.0 {
                    0.0
                } else {
                    (rng.uniform() * t[i] * 7.0).floor() / 7.0
                }
            })
            .collect();
        let c = collapse_xtt(&x, &tx, &t, 0.5);
        let g = group_by_first(distinct(
            n,
            |i| [x[i], tx[i] * 0.5, t[i] * 0.5],
            |_| true,
            false,
        ));
        let mut a: Vec<(u64, u64, u64, u64)> = Vec::new();
        for &(f, s, e) in &c.groups {
            for i in s..e {
                a.push((
                    f.to_bits(),
                    c.tx_values[c.tx_id[i] as usize].to_bits(),
                    c.t_values[c.t_id[i] as usize].to_bits(),
                    c.weight[i] as u64,
                ));
            }
        }
        let mut b: Vec<(u64, u64, u64, u64)> = g
            .keys
            .iter()
            .zip(&g.weight)
            .map(|(k, w)| (k[0].to_bits(), k[1].to_bits(), k[2].to_bits(), *w as u64))
            .collect();
        let sorted_by_x = a
            .windows(2)
            .all(|w| f64::from_bits(w[0].0) <= f64::from_bits(w[1].0));
        assert!(sorted_by_x);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        let d = distinct_xt(&x, &t);
        let h = distinct(n, |i| [x[i], t[i]], |_| true, true);
        assert_eq!(d.keys.len(), h.keys.len());
        for i in 0..n {
            assert_eq!(d.keys[d.index[i] as usize], [x[i], t[i]]);
        }
        let mut keys = vec![5u64, 1 << 40, 3, 77, 1 << 12, 0, 3];
        radix_sort(&mut keys, 41);
        assert_eq!(keys, vec![0, 3, 3, 5, 77, 1 << 12, 1 << 40]);
    }
}
