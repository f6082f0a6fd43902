//! Optimal one-to-one assignment between gold mentions and predictions.
//!
//! Every scheme describes a candidate pair by a vector of *tiers* (for example
//! `[credit, exact spans, overlap]`). The matcher finds the assignment whose
//! summed tier vector is lexicographically largest, so a higher tier is never
//! traded for any amount of a lower one ("exact matches first, then by
//! overlap"). Greedy matching in input order cannot promise that; see the
//! anchor case in the tests.
//!
//! The candidate graph is split into connected components first: in real
//! text almost every component is a single pair, so the cost stays linear in
//! the number of mentions and the cubic Hungarian step only runs on the rare
//! tangles of overlapping mentions.

/// Tier vector of one candidate pair, most important first.
pub type Tiers = [u64; TIERS];
pub const TIERS: usize = 6;

/// A candidate pair (gold index, prediction index, tiers).
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    pub gold: usize,
    pub pred: usize,
    pub tiers: Tiers,
}

/// Returns the chosen (gold, pred) pairs, sorted by gold index.
pub fn assign(n_gold: usize, n_pred: usize, edges: &[Edge]) -> Vec<(usize, usize)> {
    // Most components are a single edge between mentions that have no other
    // candidate: those pairs are always chosen, without any grouping.
    let (mut gold_degree, mut pred_degree) = (vec![0u32; n_gold], vec![0u32; n_pred]);
    for e in edges {
        gold_degree[e.gold] += 1;
        pred_degree[e.pred] += 1;
    }
    let mut pairs = Vec::with_capacity(edges.len());
    let mut tangled = Vec::new();
    for e in edges {
        if gold_degree[e.gold] == 1 && pred_degree[e.pred] == 1 {
            pairs.push((e.gold, e.pred));
        } else {
            tangled.push(e);
        }
    }
    if !tangled.is_empty() {
        pairs.extend(assign_tangled(n_gold, n_pred, &tangled));
    }
    pairs.sort_unstable();
    pairs
}

/// Connected components of the remaining edges, each solved exactly.
fn assign_tangled(n_gold: usize, n_pred: usize, edges: &[&Edge]) -> Vec<(usize, usize)> {
    let mut parent: Vec<usize> = (0..n_gold + n_pred).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for e in edges {
        let (a, b) = (find(&mut parent, e.gold), find(&mut parent, n_gold + e.pred));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    // Group edges by component root, keeping input order inside each group.
    let mut groups: std::collections::BTreeMap<usize, Vec<Edge>> = Default::default();
    for e in edges {
        let root = find(&mut parent, e.gold);
        groups.entry(root).or_default().push(**e);
    }
    let mut pairs = Vec::new();
    for group in groups.values() {
        if let [single] = group.as_slice() {
            pairs.push((single.gold, single.pred));
        } else {
            pairs.extend(assign_component(group));
        }
    }
    pairs
}

/// Exact max-weight assignment on one component (Hungarian algorithm with
/// potentials, O(n²m)).
fn assign_component(edges: &[Edge]) -> Vec<(usize, usize)> {
    let mut golds: Vec<usize> = edges.iter().map(|e| e.gold).collect();
    let mut preds: Vec<usize> = edges.iter().map(|e| e.pred).collect();
    golds.sort_unstable();
    golds.dedup();
    preds.sort_unstable();
    preds.dedup();
    let pairs_max = golds.len().min(preds.len()) as u64;

    // Mixed-radix weights: each tier's radix exceeds the largest sum that
    // tier can reach over any matching, so sums compare lexicographically.
    let mut radix = [0i128; TIERS];
    for (t, r) in radix.iter_mut().enumerate() {
        let max = edges.iter().map(|e| e.tiers[t]).max().unwrap_or(0);
        *r = (max as i128) * (pairs_max as i128) + 1;
    }
    let weight = |tiers: &Tiers| -> i128 {
        tiers.iter().zip(radix).fold(0i128, |acc, (&t, r)| {
            acc.checked_mul(r).expect("matching weight overflow") + t as i128
        })
    };

    // Rows are the smaller side.
    let transpose = golds.len() > preds.len();
    let (rows, cols) = if transpose { (&preds, &golds) } else { (&golds, &preds) };
    let (n, m) = (rows.len(), cols.len());
    let mut cost = vec![vec![0i128; m]; n];
    let mut is_edge = vec![vec![false; m]; n];
    for e in edges {
        let (r, c) = if transpose { (e.pred, e.gold) } else { (e.gold, e.pred) };
        let (i, j) = (rows.binary_search(&r).unwrap(), cols.binary_search(&c).unwrap());
        let w = weight(&e.tiers);
        if !is_edge[i][j] || -w < cost[i][j] {
            cost[i][j] = -w;
            is_edge[i][j] = true;
        }
    }

    // 1-based Hungarian with potentials u (rows), v (cols).
    let inf = i128::MAX / 4;
    let mut u = vec![0i128; n + 1];
    let mut v = vec![0i128; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = Vec::new();
    for j in 1..=m {
        let i = p[j];
        if i != 0 && is_edge[i - 1][j - 1] {
            let (r, c) = (rows[i - 1], cols[j - 1]);
            out.push(if transpose { (c, r) } else { (r, c) });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(gold: usize, pred: usize, tiers: Tiers) -> Edge {
        Edge { gold, pred, tiers }
    }

    #[test]
    fn higher_tier_beats_any_amount_of_lower_tiers() {
        // g0-p0 has the better first tier; g0-p1 + g1-p0 has more pairs.
        let edges = [
            edge(0, 0, [3, 0, 0, 0, 0, 0]),
            edge(0, 1, [1, 0, 0, 0, 0, 99]),
            edge(1, 0, [1, 0, 0, 0, 0, 99]),
        ];
        assert_eq!(assign(2, 2, &edges), vec![(0, 0)]);
    }

    #[test]
    fn finds_the_augmenting_choice_greedy_misses() {
        // Greedy in gold order takes g0-p0 and leaves g1 alone.
        let edges = [
            edge(0, 0, [1, 0, 0, 0, 0, 5]),
            edge(0, 1, [1, 0, 0, 0, 0, 4]),
            edge(1, 0, [1, 0, 0, 0, 0, 5]),
        ];
        assert_eq!(assign(2, 2, &edges), vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn rectangular_components_and_isolated_pairs() {
        let edges = [
            edge(0, 0, [1, 0, 0, 0, 0, 1]),
            edge(1, 1, [1, 0, 0, 0, 0, 1]),
            edge(1, 2, [2, 0, 0, 0, 0, 1]),
            edge(2, 3, [1, 0, 0, 0, 0, 1]),
        ];
        assert_eq!(assign(3, 4, &edges), vec![(0, 0), (1, 2), (2, 3)]);
    }
}
