"""The curriculum: modules, certificate levels and their modules, assessment results, and the
eligibility rules that training and certificates both read (neither imports the other)."""
