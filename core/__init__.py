"""The shared core every layer builds on: data model, settings, errors and text helpers.

It imports nothing from the other govwatch packages; crawler/, index/, audit/,
search_api/, sampleweb/ and the govwatch command line all import from here.
"""
