#!/usr/bin/python3
"""The peer of corridor's simulator in make bench: the same M/M/c queue in
SimPy (Poisson arrivals, exponential service, c servers, first come first
served), run for the given hours. Prints 'events seconds wq' where events
counts an arrival and a departure per customer, as corridor counts them.
Usage: simpy_mmc.py LAMBDA MU C HOURS SEED"""
import random, sys, time
import simpy

lam, mu, c, hours, seed = (float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]),
                           float(sys.argv[4]), int(sys.argv[5]))
rng = random.Random(seed)
env = simpy.Environment()
servers = simpy.Resource(env, capacity=c)
stats = {"n": 0, "wait": 0.0}


def customer(env):
    arrived = env.now
    with servers.request() as req:
        yield req
        stats["wait"] += env.now - arrived
        stats["n"] += 1
        yield env.timeout(rng.expovariate(mu))


def arrivals(env):
    while True:
        yield env.timeout(rng.expovariate(lam))
        env.process(customer(env))


env.process(arrivals(env))
t0 = time.perf_counter()
env.run(until=hours)
dt = time.perf_counter() - t0
print(2 * stats["n"], f"{dt:.4f}", f"{stats['wait'] / max(stats['n'], 1):.5f}")
