"""The sample web: a generated world of government portals and platform look-alikes, served locally.

world.py generates (seed, accounts, posts, now); truth.py computes the ground truth;
server.py serves it on 127.0.0.1 port 0; bulk.py streams benchmark-scale data. See CONTRACT.md.
"""
