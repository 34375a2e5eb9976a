//! Inventory paths like govc's (`/DC0/vm/DC0_H0_VM0`, `*` and `?` wildcards, paths
//! relative to a datacenter) over one snapshot of the inventory's names and parents, and
//! the server's own lookups (`SearchIndex`: by inventory path, UUID, IP). Not-found is
//! [`FindError::NotFound`] naming what was looked for.

use std::collections::HashMap;

use vsphere::{Client, ManagedObjectReference};

use crate::property::{self, RetrieveError};
use crate::view::View;

/// The managed entity types whose `name` and `parent` make up the inventory tree.
pub const ENTITY_TYPES: &[&str] = &[
    "Folder",
    "Datacenter",
    "ComputeResource",
    "ClusterComputeResource",
    "HostSystem",
    "ResourcePool",
    "VirtualApp",
    "VirtualMachine",
    "Datastore",
    "StoragePod",
    "Network",
    "OpaqueNetwork",
    "DistributedVirtualPortgroup",
    "DistributedVirtualSwitch",
    "VmwareDistributedVirtualSwitch",
];

/// One managed entity of the inventory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entity.
    pub reference: ManagedObjectReference,
    /// Its name.
    pub name: String,
    /// Its inventory path, `/` for the root folder.
    pub path: String,
    /// Its parent's index in [`Inventory::entries`] (`None` for the root folder).
    pub parent: Option<usize>,
}

/// Why a lookup failed.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// Nothing matches.
    #[error("{0}: not found")]
    NotFound(String),
    /// A relative path was given but the datacenter to resolve it in is unclear.
    #[error("{path}: a relative path needs a datacenter ({choices} to choose from)")]
    NoDatacenter {
        /// The path.
        path: String,
        /// How many datacenters there are.
        choices: usize,
    },
    /// Reading the inventory failed.
    #[error("reading the inventory: {0}")]
    Retrieve(Box<RetrieveError>),
    /// Creating the view of the inventory failed.
    #[error("reading the inventory: {0}")]
    View(Box<vsphere::CreateContainerViewError>),
    /// A `SearchIndex` call failed.
    #[error("{0}")]
    Search(String),
}

impl From<RetrieveError> for FindError {
    fn from(e: RetrieveError) -> Self {
        FindError::Retrieve(Box::new(e))
    }
}

impl From<vsphere::CreateContainerViewError> for FindError {
    fn from(e: vsphere::CreateContainerViewError) -> Self {
        FindError::View(Box::new(e))
    }
}

/// A snapshot of the inventory tree: every entity's name and parent, read in one
/// retrieval through a recursive view of the root folder.
#[derive(Clone, Debug)]
pub struct Inventory {
    entries: Vec<Entry>,
}

impl Inventory {
    /// Reads the tree.
    pub async fn load(client: &Client) -> Result<Inventory, FindError> {
        let root = client.service_content().root_folder.clone();
        let view = View::create(client, &root, &[], true).await?;
        let wanted: Vec<(&str, &[&str])> = ENTITY_TYPES
            .iter()
            .map(|t| (*t, &["name", "parent"][..]))
            .collect();
        let found = property::retrieve_view_types(client, view.reference(), &wanted).await;
        // The view has served; a failure to destroy it does not spoil what was read.
        let _ = view.destroy().await;
        let mut nodes = vec![(root.clone(), "".to_string(), None)];
        for object in found? {
            // An entity whose name or parent does not read is left out of the tree.
            let name: Option<String> = object.get("name").ok().flatten();
            let parent: Option<ManagedObjectReference> = object.get("parent").ok().flatten();
            if let Some(name) = name {
                nodes.push((object.obj, name, parent));
            }
        }
        Ok(Inventory::from_nodes(nodes))
    }

    /// Builds the tree from `(entity, name, parent)`, the root folder first.
    fn from_nodes(
        nodes: Vec<(
            ManagedObjectReference,
            String,
            Option<ManagedObjectReference>,
        )>,
    ) -> Inventory {
        let index: HashMap<ManagedObjectReference, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, (r, _, _))| (r.clone(), i))
            .collect();
        let parents: Vec<Option<usize>> = nodes
            .iter()
            .map(|(_, _, p)| p.as_ref().and_then(|p| index.get(p).copied()))
            .collect();
        let mut paths: Vec<Option<String>> = vec![None; nodes.len()];
        for start in 0..nodes.len() {
            // Walk up to a node whose path is known (or the root), then fill paths down.
            let mut chain = vec![start];
            while let Some(&last) = chain.last() {
                match parents[last] {
                    Some(p) if paths[p].is_none() && !chain.contains(&p) => chain.push(p),
                    _ => break,
                }
            }
            for &i in chain.iter().rev() {
                if paths[i].is_some() {
                    continue;
                }
                let path = match parents[i].and_then(|p| paths[p].clone()) {
                    Some(parent) if parent == "/" => format!("/{}", nodes[i].1),
                    Some(parent) => format!("{parent}/{}", nodes[i].1),
                    None if i == 0 => "/".to_string(),
                    // Detached from the root: shown by name under it.
                    None => format!("/{}", nodes[i].1),
                };
                paths[i] = Some(path);
            }
        }
        let entries = nodes
            .into_iter()
            .zip(paths)
            .zip(parents)
            .map(|(((reference, name, _), path), parent)| Entry {
                reference,
                name,
                path: path.unwrap_or_default(),
                parent,
            })
            .collect();
        Inventory { entries }
    }

    /// Every entity, the root folder first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Entities of type `type_` (`VirtualMachine`, `HostSystem`, …), in path order.
    pub fn of_type(&self, type_: &str) -> Vec<&Entry> {
        let mut out: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.reference.type_ == type_)
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// The datacenters.
    pub fn datacenters(&self) -> Vec<&Entry> {
        self.of_type("Datacenter")
    }

    /// Entries matching `pattern`: an absolute path (`/DC0/vm/*`), or one relative to
    /// `datacenter` (`vm/DC0_H0_VM?`; the only datacenter when `None`). `*` matches any
    /// run of characters within a name, `?` one character. Sorted by path.
    pub fn find(&self, pattern: &str, datacenter: Option<&str>) -> Result<Vec<&Entry>, FindError> {
        let absolute = self.absolute(pattern, datacenter)?;
        let parts: Vec<&str> = absolute.split('/').filter(|p| !p.is_empty()).collect();
        let mut matched: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                let names: Vec<&str> = e.path.split('/').filter(|p| !p.is_empty()).collect();
                names.len() == parts.len()
                    && names.iter().zip(&parts).all(|(n, p)| glob_match(p, n))
            })
            .collect();
        if matched.is_empty() {
            return Err(FindError::NotFound(pattern.to_string()));
        }
        matched.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(matched)
    }

    /// The children of the entities matching `pattern` (what `ls` shows), sorted by path.
    pub fn children(
        &self,
        pattern: &str,
        datacenter: Option<&str>,
    ) -> Result<Vec<&Entry>, FindError> {
        let parents: std::collections::HashSet<&ManagedObjectReference> = self
            .find(pattern, datacenter)?
            .into_iter()
            .map(|p| &p.reference)
            .collect();
        let mut out: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                e.parent
                    .is_some_and(|p| parents.contains(&self.entries[p].reference))
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// The entity called `name` of type `type_` (a VM by name, as govc's `vm.info NAME`),
    /// or the one at path `name` when it contains a `/`.
    pub fn named(
        &self,
        type_: &str,
        name: &str,
        datacenter: Option<&str>,
    ) -> Result<&Entry, FindError> {
        let found: Vec<&Entry> = if name.contains('/') {
            self.find(name, datacenter)?
        } else {
            self.of_type(type_)
                .into_iter()
                .filter(|e| glob_match(name, &e.name))
                .collect()
        };
        found
            .into_iter()
            .find(|e| e.reference.type_ == type_)
            .ok_or_else(|| FindError::NotFound(name.to_string()))
    }

    /// `pattern` made absolute.
    fn absolute(&self, pattern: &str, datacenter: Option<&str>) -> Result<String, FindError> {
        if pattern.starts_with('/') {
            return Ok(pattern.to_string());
        }
        let dcs = self.datacenters();
        let dc = match datacenter {
            Some(name) => dcs
                .into_iter()
                .find(|d| d.name == name)
                .ok_or_else(|| FindError::NotFound(name.to_string()))?,
            None if dcs.len() == 1 => dcs[0],
            None => {
                return Err(FindError::NoDatacenter {
                    path: pattern.to_string(),
                    choices: dcs.len(),
                })
            }
        };
        Ok(if pattern.is_empty() || pattern == "." {
            dc.path.clone()
        } else {
            format!("{}/{pattern}", dc.path)
        })
    }
}

/// Whether `name` matches `pattern` (`*` any run, `?` one character).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // The classic two-pointer match with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// The server's `SearchIndex.FindByInventoryPath`: the entity at `path`
/// (`DC0/vm/DC0_H0_VM0`, no leading `/`).
pub async fn by_inventory_path(
    client: &Client,
    path: &str,
) -> Result<ManagedObjectReference, FindError> {
    let found = search_index(client)?
        .find_by_inventory_path(path.trim_start_matches('/'))
        .await;
    one(found, path)
}

/// The server's `SearchIndex.FindByUuid`: the VM (or, with `vm` false, the host) with
/// BIOS UUID `uuid`.
pub async fn by_uuid(
    client: &Client,
    uuid: &str,
    vm: bool,
) -> Result<ManagedObjectReference, FindError> {
    let found = search_index(client)?
        .find_by_uuid(None, uuid, vm, None)
        .await;
    one(found, uuid)
}

/// The server's `SearchIndex.FindByIp`: the VM (or, with `vm` false, the host) with IP
/// address `ip`.
pub async fn by_ip(
    client: &Client,
    ip: &str,
    vm: bool,
) -> Result<ManagedObjectReference, FindError> {
    let found = search_index(client)?.find_by_ip(None, ip, vm).await;
    one(found, ip)
}

/// The reference a `SearchIndex` lookup of `what` found, or `NotFound` naming it.
fn one<E: std::fmt::Display>(
    found: Result<Option<vsphere::ManagedEntity>, E>,
    what: &str,
) -> Result<ManagedObjectReference, FindError> {
    use vsphere_runtime::ManagedObject;
    found
        .map_err(|e| FindError::Search(e.to_string()))?
        .map(|e| e.reference().clone())
        .ok_or_else(|| FindError::NotFound(what.to_string()))
}

fn search_index(client: &Client) -> Result<vsphere::SearchIndex, FindError> {
    client
        .search_index()
        .map_err(|e| FindError::Search(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_stars_and_question_marks() {
        assert!(glob_match("DC0_H0_VM?", "DC0_H0_VM1"));
        assert!(!glob_match("DC0_H0_VM?", "DC0_H0_VM10"));
        assert!(glob_match("*VM*", "DC0_C0_RP0_VM0"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*b", "acbd"));
        assert!(glob_match("a*b*", "acbd"));
    }

    fn r(t: &str, v: &str) -> ManagedObjectReference {
        ManagedObjectReference::new(t, v)
    }

    #[test]
    fn paths_come_from_names_and_parents_in_any_order() {
        let nodes = vec![
            (r("Folder", "root"), String::new(), None),
            (
                r("VirtualMachine", "vm-1"),
                "web".into(),
                Some(r("Folder", "vmf")),
            ),
            (r("Folder", "vmf"), "vm".into(), Some(r("Datacenter", "dc"))),
            (
                r("Datacenter", "dc"),
                "DC0".into(),
                Some(r("Folder", "root")),
            ),
        ];
        let inv = Inventory::from_nodes(nodes);
        let paths: Vec<&str> = inv.entries().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/", "/DC0/vm/web", "/DC0/vm", "/DC0"]);
        let found = inv.find("vm/w*", None).unwrap();
        assert_eq!(found[0].reference, r("VirtualMachine", "vm-1"));
        let ls: Vec<&str> = inv
            .children("/", None)
            .unwrap()
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(ls, ["DC0"]);
        assert!(matches!(inv.find("/DC1/vm", None), Err(FindError::NotFound(p)) if p == "/DC1/vm"));
    }
}
