"""The organisation: units and their subtrees (`units`), who holds which post and so who rates whom (`appraisers`),
changes to posts and appointments (`operations`) and HR's data-quality queue (`data_quality`).
"""
