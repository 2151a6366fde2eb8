{
  "targets": [
    {
      "target_name": "timescope_sockdiag",
      "sources": ["sockdiag.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
