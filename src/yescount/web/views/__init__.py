"""The screens of the journey: landing, welcome, vote, availability, results, errors."""
