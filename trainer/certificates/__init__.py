"""Modules, certificate levels, results, eligibility, issuing, PDFs and verification."""
