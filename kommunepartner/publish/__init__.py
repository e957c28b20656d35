"""Publishing: the gates before a deploy, precompressed copies, rclone, host configuration."""
