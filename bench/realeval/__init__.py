"""Evaluation of the detectors on real pages written by others (../shared/realdata).

The pages are split once, by a hash of the file name, into a `tune` part (read
while developing) and a `held-out` part (never read while tuning); every
figure is printed for both. Labels this project adds (titles, mentions, spam
injections) live in bench/labels/ and name realdata files; no page content is
copied into the repository.
"""
