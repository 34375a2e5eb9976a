//! Strongly connected components (Tarjan, iterative) and properties derived over the
//! condensation, for graphs given as adjacency lists over `0..n`.

/// The components of a graph: which component each node is in, and the members of each.
///
/// Components are numbered in reverse topological order: every edge leaving a component
/// goes to one with a smaller number, so visiting `0..len` sees successors first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    /// Component of each node.
    pub of: Vec<usize>,
    /// Nodes of each component.
    pub members: Vec<Vec<usize>>,
}

/// Tarjan's algorithm with an explicit stack (no recursion, so deep graphs are fine).
pub fn components(adj: &[Vec<usize>]) -> Components {
    const UNSEEN: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut of = vec![0; n];
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut next = 0;
    // (node, position in its adjacency list) for the DFS in progress.
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == UNSEEN {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adj[v].get(*pos) {
                *pos += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let id = members.len();
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    of[w] = id;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                members.push(component);
            }
        }
    }
    Components { of, members }
}

/// Whether each node of `adj` has a property that holds when it holds locally
/// (`local[v]`) and for everything the node reaches; with `allow_cycles` false, a node
/// on a cycle (or that reaches one) never has it. One pass over the condensation.
pub fn derivable(adj: &[Vec<usize>], local: &[bool], allow_cycles: bool) -> Vec<bool> {
    let comps = components(adj);
    let mut ok = vec![false; adj.len()];
    for (id, nodes) in comps.members.iter().enumerate() {
        let cyclic = nodes.len() > 1 || adj[nodes[0]].contains(&nodes[0]);
        let holds = (allow_cycles || !cyclic)
            && nodes
                .iter()
                .all(|&v| local[v] && adj[v].iter().all(|&w| comps.of[w] == id || ok[w]));
        for &v in nodes {
            ok[v] = holds;
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_self_loops_and_chains() {
        // 0 ⇄ 1, 2 → 2, 3 → 4 → 5.
        let adj = vec![vec![1], vec![0], vec![2], vec![4], vec![5], vec![]];
        let c = components(&adj);
        assert_eq!(c.of[0], c.of[1]);
        assert_ne!(c.of[2], c.of[0]);
        assert_eq!(c.members.len(), 5);
        // Reverse topological order: 5 before 4 before 3.
        assert!(c.of[5] < c.of[4] && c.of[4] < c.of[3]);
    }

    #[test]
    fn deep_chains_do_not_overflow() {
        let n = 200_000;
        let adj: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        assert_eq!(components(&adj).members.len(), 1);
    }

    #[test]
    fn derivability_follows_edges_and_cycles() {
        // 0 → 1 → 2 (2 fails locally); 3 → 4 → 3; 5 alone.
        let adj = vec![vec![1], vec![2], vec![], vec![4], vec![3], vec![]];
        let local = [true, true, false, true, true, true];
        assert_eq!(
            derivable(&adj, &local, false),
            [false, false, false, false, false, true]
        );
        assert_eq!(
            derivable(&adj, &local, true),
            [false, false, false, true, true, true]
        );
    }
}
