"""The guided session: before, dose, journey, after; Help at every moment; rehearsal; resume."""
