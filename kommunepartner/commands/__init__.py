"""What the commands do beyond a build, without click: render and send an issue, unlock links."""
