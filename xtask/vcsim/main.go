// Command vcsim-harness runs govmomi's vCenter simulator on 127.0.0.1 at a free port,
// prints its URL on stdout and serves until stdin closes or it is killed.
package main

import (
	"fmt"
	"io"
	"log"
	"net/url"
	"os"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	model := simulator.VPX()
	defer model.Remove()
	if err := model.Create(); err != nil {
		log.Fatal(err)
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
