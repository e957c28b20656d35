"""What editors write: content files and their schemas, the partner registry and its fee tiers,
and the skeletons of `new`."""
