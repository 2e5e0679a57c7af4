"""Python peers of bench/peers.bench.ts: scikit-learn and SciPy, timed here.

Run by the Node script as a child process (Debian's /usr/bin/python3, which
has numpy, scipy and sklearn):

    python3 bench/peers.py TASKS.json

TASKS.json lists the jobs and the .npy files holding their inputs; this
script prints one JSON object on stdout: the versions, the BLAS that numpy
runs (threadpoolctl's report, when it is importable) and, per job, every
timing in seconds. Each timing is time.perf_counter() around the peer's call
alone, after one warm-up call. Thread counts are set by the parent through
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before numpy loads.
"""

import json
import platform
import statistics
import sys
import time

import numpy as np


def timed(fn, reps):
    """Min and median seconds of `reps` calls after a warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return {"min": min(times), "median": statistics.median(times), "reps": reps}, result


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {"threadpoolctl": "missing"}
    pools = threadpool_info()
    return {
        "threadpoolctl": "ok",
        "pools": [
            {
                key: pool.get(key)
                for key in ("user_api", "internal_api", "version", "num_threads", "architecture")
            }
            for pool in pools
        ],
    }


def knn_graph(job):
    from sklearn.neighbors import NearestNeighbors

    points = np.load(job["points"])
    k = job["k"]

    def run():
        model = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(points)
        return model.kneighbors_graph(mode="distance")

    timing, graph = timed(run, job["reps"])
    timing["edges"] = int(graph.nnz)
    return timing


def csr(job, n):
    from scipy.sparse import csr_matrix

    offsets = np.load(job["offsets"])
    targets = np.load(job["targets"])
    weights = np.load(job["weights"]).astype(np.float64)
    return csr_matrix((weights, targets, offsets), shape=(n, n)), offsets, targets, weights


def dijkstra(job):
    from scipy.sparse.csgraph import dijkstra as sp_dijkstra

    n = job["nodes"]
    graph, _, _, _ = csr(job, n)
    sources = np.asarray(job["sources"], dtype=np.int32)

    # the CSR holds both directions of every undirected edge: directed=True
    # reads it as it is, without SciPy symmetrizing it again
    rows, distances = timed(
        lambda: sp_dijkstra(graph, directed=True, indices=sources), job["reps"]
    )
    nearest, near = timed(
        lambda: sp_dijkstra(graph, directed=True, indices=sources, min_only=True),
        job["reps"],
    )
    finite = np.isfinite(distances)
    rows["checksum"] = float(distances[finite].sum())
    nearest["checksum"] = float(near[np.isfinite(near)].sum())
    return {"rows": rows, "min_only": nearest}


def geodesic(job):
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra as sp_dijkstra

    n = job["nodes"]
    k = job["k"]
    points = np.load(job["points"])
    query = np.load(job["query"])
    _, offsets, targets, weights = csr(job, n)

    def run():
        # attach the query to its k nearest points as node n, then one Dijkstra
        d = np.sqrt(((points - query) ** 2).sum(axis=1, dtype=np.float64))
        near = np.argpartition(d, k)[:k]
        indptr = np.append(offsets, offsets[-1] + k)
        graph = csr_matrix(
            (np.concatenate([weights, d[near]]), np.concatenate([targets, near]), indptr),
            shape=(n + 1, n + 1),
        )
        return sp_dijkstra(graph, directed=True, indices=n)[:n]

    timing, distances = timed(run, job["reps"])
    timing["checksum"] = float(distances[np.isfinite(distances)].sum())
    return timing


def main():
    with open(sys.argv[1]) as f:
        tasks = json.load(f)
    out = {"python": platform.python_version(), "numpy": np.__version__, "jobs": []}
    try:
        import scipy

        out["scipy"] = scipy.__version__
    except ImportError:
        out["scipy"] = "missing"
    try:
        import sklearn

        out["sklearn"] = sklearn.__version__
    except ImportError:
        out["sklearn"] = "missing"
    out["blas"] = blas_info()

    runners = {"knn": knn_graph, "dijkstra": dijkstra, "geodesic": geodesic}
    for job in tasks["jobs"]:
        needs = "sklearn" if job["kind"] == "knn" else "scipy"
        if out[needs] == "missing":
            out["jobs"].append({"id": job["id"], "missing": needs})
            continue
        out["jobs"].append({"id": job["id"], **runners[job["kind"]](job)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
