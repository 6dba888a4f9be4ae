//! Graphs of types (per node, the nodes it refers to): strongly connected components, and a
//! bound on the longest chain. Shared by the Rust printer and the corpus check's units.

/// The components of a graph: each node's component, and each component's size.
pub struct Components {
    /// Per node, its component (numbered in reverse topological order: a component's
    /// successors have smaller numbers).
    pub of: Vec<usize>,
    /// Per component, how many nodes it has.
    pub sizes: Vec<usize>,
}

/// Tarjan's algorithm over `edges` (per node, its successors), without recursion.
pub fn components(edges: &[Vec<usize>]) -> Components {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let mut order = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut of = vec![UNSEEN; count];
    let mut sizes = Vec::new();
    let mut next = 0;
    for root in 0..count {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of its next edge to follow)
        let mut calls = vec![(root, 0)];
        order[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
            if let Some(&to) = edges[node].get(*edge) {
                *edge += 1;
                if order[to] == UNSEEN {
                    order[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(order[to]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                let component = sizes.len();
                let mut size = 0;
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    of[member] = component;
                    size += 1;
                    if member == node {
                        break;
                    }
                }
                sizes.push(size);
            }
        }
    }
    Components { of, sizes }
}

/// An upper bound on the number of nodes of any path in `edges` that visits no node twice:
/// the heaviest path between components, each weighing its size.
pub fn longest_bound(edges: &[Vec<usize>]) -> usize {
    let components = components(edges);
    // Successors have smaller numbers, so components in increasing order see theirs done.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); components.sizes.len()];
    for (node, &component) in components.of.iter().enumerate() {
        members[component].push(node);
    }
    let mut heaviest = vec![0usize; components.sizes.len()];
    for component in 0..components.sizes.len() {
        let below = members[component]
            .iter()
            .flat_map(|&node| &edges[node])
            .map(|&to| components.of[to])
            .filter(|&other| other != component)
            .map(|other| heaviest[other])
            .max()
            .unwrap_or(0);
        heaviest[component] = components.sizes[component] + below;
    }
    heaviest.into_iter().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_components_and_count_whole_in_the_bound() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3
        let edges = vec![vec![1], vec![2], vec![1, 3], vec![]];
        let found = components(&edges);
        assert_eq!(found.of[1], found.of[2]);
        assert_ne!(found.of[0], found.of[1]);
        assert_eq!(found.sizes.iter().copied().max(), Some(2));
        assert_eq!(longest_bound(&edges), 4);
        assert_eq!(longest_bound(&[vec![1], vec![2], vec![]]), 3);
        assert_eq!(longest_bound(&[]), 0);
    }
}
