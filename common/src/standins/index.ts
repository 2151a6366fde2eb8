// Stand-ins that speak a real system's interface where the demo and the tests cannot run the system itself: a
// Kubernetes API server (its list+watch wire format) and a kubelet's container cgroups. Named as stand-ins wherever
// a user sees them. Node only; not part of the plugins' bundles.
export * from './kubeApi';
export * from './containerCgroups';
export * from './kubeObjects';
