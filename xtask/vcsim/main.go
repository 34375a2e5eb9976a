// Command vcsim-harness runs govmomi's vCenter simulator on 127.0.0.1 at a free port,
// prints its URL on stdout and serves until stdin closes or it is killed.
//
// The model is govmomi's VPX model as is, unless VCSIM_MACHINE is set: then it is the
// number of VMs per standalone host and per cluster (model.Machine, vcsim's -vm flag;
// the VPX model has one of each per datacenter, so VCSIM_MACHINE=500 makes 1,000 VMs),
// and the number of VMs the inventory really holds is printed on stderr.
package main

import (
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"strconv"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	model := simulator.VPX()
	machine, perPool := os.LookupEnv("VCSIM_MACHINE")
	if perPool {
		n, err := strconv.Atoi(machine)
		if err != nil || n < 0 {
			log.Fatalf("VCSIM_MACHINE=%q: want a number of VMs, 0 or more", machine)
		}
		model.Machine = n
	}
	defer model.Remove()
	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	if perPool {
		fmt.Fprintf(os.Stderr, "vcsim: VCSIM_MACHINE=%d: %d VMs in the inventory\n",
			model.Machine, model.Count().Machine)
	}
	// An explicit user (not simulator.DefaultLogin) makes vcsim check the password:
	// with the default it accepts any non-empty user name and password.
	model.Service.Listen = &url.URL{Host: "127.0.0.1:0", User: url.UserPassword("user", "pass")}
	server := model.Service.NewServer()
	defer server.Close()
	fmt.Println(server.URL.String())
	// The second line: the model's own counts, for tests to compute expectations from.
	fmt.Printf("model datacenter=%d cluster=%d cluster_host=%d host=%d machine=%d datastore=%d pool=%d portgroup=%d\n",
		model.Datacenter, model.Cluster, model.ClusterHost, model.Host, model.Machine,
		model.Datastore, model.Pool, model.Portgroup)
	// Serve until the parent closes our stdin (or kills us).
	_, _ = io.Copy(io.Discard, os.Stdin)
}
