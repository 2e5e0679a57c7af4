// Connected components by union-find, ignoring edge direction.
//
//   parent i32[n]   scratch: union-find forest
//   labels i32[n]   output: component of each node, numbered 0, 1, ... in
//                   order of each component's lowest node

function find(parent: usize, x: i32): i32 {
  // path halving keeps the trees flat without recursion
  while (true) {
    const p = load<i32>(parent + (<usize>x << 2));
    if (p == x) return x;
    const gp = load<i32>(parent + (<usize>p << 2));
    store<i32>(parent + (<usize>x << 2), gp);
    x = gp;
  }
  return x;
}

/** Labels the components of a CSR graph; returns how many there are. */
export function connectedComponents(
  n: i32, offsets: usize, targets: usize, parent: usize, labels: usize,
): i32 {
  for (let v = 0; v < n; v++) store<i32>(parent + (<usize>v << 2), v);

  // union every edge, the lower root becoming the parent
  for (let u = 0; u < n; u++) {
    const end = load<i32>(offsets + ((<usize>u + 1) << 2));
    for (let e = load<i32>(offsets + (<usize>u << 2)); e < end; e++) {
      const a = find(parent, u);
      const b = find(parent, load<i32>(targets + (<usize>e << 2)));
      if (a == b) continue;
      if (a < b) store<i32>(parent + (<usize>b << 2), a);
      else store<i32>(parent + (<usize>a << 2), b);
    }
  }

  // number the roots in node order
  let count = 0;
  for (let v = 0; v < n; v++) {
    const r = find(parent, v);
    if (r == v) {
      store<i32>(labels + (<usize>v << 2), count);
      count++;
    } else {
      store<i32>(labels + (<usize>v << 2), load<i32>(labels + (<usize>r << 2)));
    }
  }
  return count;
}
