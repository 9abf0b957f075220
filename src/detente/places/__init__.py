"""Where events happened: a gazetteer of place names and per-document place resolution.

    gaz = Gazetteer.load()                 # built once, cached on disk
    places = PlaceResolver(gaz).document(doc)
    places.at(token.i)                     # the place a token names, e.g. "Baku" in "Baku demanded"
    places.locate(predicate)               # where the event of a predicate happened

Nothing is loaded at import time.
"""
from detente.places.gazetteer import Candidate, Gazetteer, normalize
from detente.places.resolve import DocumentPlaces, PlaceMention, PlaceResolver

__all__ = ["Candidate", "DocumentPlaces", "Gazetteer", "PlaceMention", "PlaceResolver", "normalize"]
