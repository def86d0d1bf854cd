"""The organisation: units and their subtrees (`units`), who holds which post and so who rates whom (`appraisers`)."""
