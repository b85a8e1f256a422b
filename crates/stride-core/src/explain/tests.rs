//! The typed explanation of an element and a flow finding, and the sentence
//! built from it (the very sentence the engine wrote before it returned
//! data).

use super::prose::{article, sentence, type_words};
use super::*;
use crate::{Catalog, Finding, Model, analyze};

const SHOP: &str = r#"
name: Shop
boundaries:
  - { id: internet, name: Internet, kind: internet }
  - { id: vpc, name: VPC, kind: cloud }
elements:
  - { id: customer, name: Customer, kind: external_entity, type: user, boundary: internet }
  - { id: web, name: Storefront, kind: process, type: web_app, boundary: vpc,
      attributes: { internet_facing: true, authenticates_users: true, waf: true } }
  - { id: db, name: "Orders   DB", kind: data_store, type: database }
data:
  - { id: card, name: Card data, classification: restricted, pii: true }
flows:
  - { id: checkout, from: customer, to: web, protocol: https, encrypted: true, carries: [card] }
  - { id: save, from: web, to: db, protocol: tcp, carries: [card] }
"#;

fn finding(id: &str) -> Finding {
    let loaded = Model::load("shop.yaml", SHOP).expect("the model loads");
    analyze(&loaded.model, Catalog::builtin())
        .threats
        .into_iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn state(fact: &str, value: Fact) -> FactState {
    FactState {
        fact: fact.into(),
        value: Some(value),
    }
}

#[test]
fn an_element_finding_carries_its_subject_facts_and_controls() {
    let f = finding("TM-I-007@web");
    let x = &f.explanation;
    assert_eq!(
        x.subject,
        Subject::Element(ElementSubject {
            name: "Storefront".into(),
            component_type: ComponentType::WebApp,
            kind: ElementKind::Process,
            boundary: Some(BoundaryKind::Cloud),
        })
    );
    assert_eq!(x.facts, [state("internet_exposed", Fact::Bool(true))]);
    assert_eq!(x.controls, ["waf"]);
    assert_eq!(x.controls, f.mitigated_by);
    assert_eq!(
        sentence(x),
        "\"Storefront\" is a web app process in a cloud boundary; \
         internet_exposed=true; mitigated by waf"
    );
}

#[test]
fn an_element_in_no_boundary_keeps_its_name_as_the_model_spells_it() {
    let x = finding("TM-I-032@db").explanation;
    let Subject::Element(e) = &x.subject else {
        panic!("an element subject: {:?}", x.subject)
    };
    assert_eq!(e.name, "Orders   DB");
    assert_eq!(e.boundary, None);
    assert_eq!(
        x.facts,
        [
            state("data", Fact::Level(3)),
            state("reachable_unauthenticated_from_internet", Fact::Bool(true)),
        ]
    );
    assert!(x.controls.is_empty());
    assert_eq!(
        x.to_string(),
        "\"Orders DB\" is a database data store in no boundary; data=restricted; \
         reachable_unauthenticated_from_internet=true"
    );
}

#[test]
fn a_flow_finding_carries_its_subject_and_the_endpoint_facts() {
    let x = finding("TM-T-001@save").explanation;
    assert_eq!(
        x.subject,
        Subject::Flow(FlowSubject {
            name: None,
            source: "Storefront".into(),
            target: "Orders   DB".into(),
            crossing: Some(Crossing {
                from: Some("vpc".into()),
                to: None,
            }),
            data: Some(Classification::Restricted),
            encrypted: false,
            authenticated: false,
        })
    );
    // The flow's own data, encryption and crossing are the subject's.
    assert_eq!(
        x.facts,
        [
            state("target.type", Fact::Text("database".into())),
            state("source.kind", Fact::Text("process".into())),
        ]
    );
    assert_eq!(
        sentence(&x),
        "flow \"Storefront → Orders DB\" from \"Storefront\" to \"Orders DB\" crosses \
         vpc→(none); carries restricted data; encrypted=false; authenticated=false; \
         target.type=database; source.kind=process"
    );
    let m = finding("TM-I-016@checkout").explanation;
    assert!(m.facts.is_empty());
    assert_eq!(m.controls, ["flow.encrypted"]);
    assert_eq!(
        sentence(&m),
        "flow \"Customer → Storefront\" from \"Customer\" to \"Storefront\" crosses \
         internet→vpc; carries restricted data; encrypted=true; authenticated=false; \
         mitigated by flow.encrypted"
    );
}

#[test]
fn each_fact_once_and_none_the_subject_states() {
    let subject = Subject::Element(ElementSubject {
        name: "Vault".into(),
        component_type: ComponentType::Api,
        kind: ElementKind::Process,
        boundary: None,
    });
    let x = Explanation::new(
        subject,
        [
            state("type", Fact::Text("api".into())),
            state("attr.third_party", Fact::Bool(true)),
            // The same words as the attribute: said once.
            state("third_party", Fact::Bool(true)),
            FactState {
                fact: "attr.mfa".into(),
                value: None,
            },
            state(
                "boundary",
                Fact::Set(vec!["cloud".into(), "corporate".into()]),
            ),
            state("data", Fact::Level(-1)),
            state("writers", Fact::Count(2)),
        ],
        Vec::new(),
    );
    assert_eq!(x.facts.len(), 5);
    assert_eq!(
        sentence(&x),
        "\"Vault\" is an API process in no boundary; third_party=true; mfa=unset; \
         boundary=cloud/corporate; data=none; writers=2"
    );
}

#[test]
fn json_holds_the_sentence_and_reads_back_to_it() {
    let f = finding("TM-I-007@web");
    let json = serde_json::to_value(&f).expect("serializes");
    assert_eq!(json["explanation"], sentence(&f.explanation));
    let back: Finding = serde_json::from_value(json).expect("reads back");
    assert_eq!(
        back.explanation.subject,
        Subject::Recorded(sentence(&f.explanation))
    );
    assert!(back.explanation.facts.is_empty() && back.explanation.controls.is_empty());
    assert_eq!(sentence(&back.explanation), sentence(&f.explanation));
    assert_eq!(
        serde_json::to_value(&back).expect("serializes"),
        serde_json::to_value(&f).expect("serializes")
    );
}

#[test]
fn words() {
    assert_eq!(article("API"), "an");
    assert_eq!(article("user"), "a");
    assert_eq!(article("LLM"), "an");
    assert_eq!(article("unknown"), "an");
    assert_eq!(type_words("auth_service"), "auth service");
    assert_eq!(type_words("llm_app"), "LLM app");
}
