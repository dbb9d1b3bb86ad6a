<?xml version="1.0"?>
<!--
  Generates rules/kisao.tsv from the KiSAO ontology (OWL, RDF/XML):

    xsltproc scripts/kisao.xsl ../shared/standards/kisao/kisao.owl > rules/kisao.tsv

  One line per class: id, name, is-a parents, what it is (algorithm, parameter,
  characteristic, other) and flags taken from the closure of its is-a parents and
  of the characteristics they state ("has characteristic" restrictions).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:owl="http://www.w3.org/2002/07/owl#"
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:variable name="ns" select="'http://www.biomodels.net/kisao/KISAO#'"/>
  <xsl:variable name="has-characteristic" select="concat($ns, 'KISAO_0000245')"/>
  <xsl:key name="class" match="/rdf:RDF/owl:Class[@rdf:about]" use="@rdf:about"/>

  <xsl:template match="/">
    <xsl:text># KiSAO (Kinetic Simulation Algorithm Ontology) version </xsl:text>
    <xsl:value-of select="/rdf:RDF/owl:Ontology/owl:versionInfo"/>
    <xsl:text>, from kisao.owl; KiSAO is distributed under the </xsl:text>
    <xsl:value-of select="/rdf:RDF/owl:Ontology/*[local-name() = 'rights']"/>
    <xsl:text>.&#10;</xsl:text>
    <xsl:text># Generated; do not edit. Regenerate with:&#10;</xsl:text>
    <xsl:text>#   xsltproc scripts/kisao.xsl ../shared/standards/kisao/kisao.owl > rules/kisao.tsv&#10;</xsl:text>
    <xsl:text># id&#9;name&#9;is-a parents (comma-separated)&#9;kind&#9;flags (from the is-a closure)&#10;</xsl:text>
    <xsl:for-each select="/rdf:RDF/owl:Class[starts-with(@rdf:about, $ns)]">
      <xsl:sort select="@rdf:about"/>
      <xsl:variable name="closure">
        <xsl:call-template name="closure">
          <xsl:with-param name="class" select="."/>
          <xsl:with-param name="depth" select="0"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:value-of select="substring-after(@rdf:about, '#')"/>
      <xsl:text>&#9;</xsl:text>
      <xsl:value-of select="normalize-space(translate(rdfs:label[1], '&#9;', ' '))"/>
      <xsl:text>&#9;</xsl:text>
      <xsl:for-each select="rdfs:subClassOf[starts-with(@rdf:resource, $ns)]">
        <xsl:if test="position() &gt; 1">,</xsl:if>
        <xsl:value-of select="substring-after(@rdf:resource, '#')"/>
      </xsl:for-each>
      <xsl:text>&#9;</xsl:text>
      <xsl:choose>
        <xsl:when test="contains($closure, '|KISAO_0000000|')">algorithm</xsl:when>
        <xsl:when test="contains($closure, '|KISAO_0000201|')">parameter</xsl:when>
        <xsl:when test="contains($closure, '|KISAO_0000097|')">characteristic</xsl:when>
        <xsl:otherwise>other</xsl:otherwise>
      </xsl:choose>
      <xsl:text>&#9;</xsl:text>
      <xsl:variable name="flags">
        <xsl:if test="contains($closure, '|c:KISAO_0000103|')">,deterministic</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000104|') or contains($closure, '|KISAO_0000241|')
                      or contains($closure, '|KISAO_0000319|') or contains($closure, '|KISAO_0000697|')">,stochastic</xsl:if>
        <xsl:if test="contains($closure, '|KISAO_0000352|')">,hybrid</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000374|') or contains($closure, '|KISAO_0000694|')">,ode</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000373|') or contains($closure, '|KISAO_0000699|')">,dae</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000371|')">,sde</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000372|') or contains($closure, '|KISAO_0000369|')">,pde</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000375|')">,dde</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000696|') or contains($closure, '|KISAO_0000630|')">,steady-state</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000240|')">,implicit</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000239|')">,explicit</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000107|')">,adaptive-step</xsl:if>
        <xsl:if test="contains($closure, '|c:KISAO_0000108|')">,fixed-step</xsl:if>
      </xsl:variable>
      <xsl:choose>
        <xsl:when test="string-length($flags) &gt; 0">
          <xsl:value-of select="substring($flags, 2)"/>
        </xsl:when>
        <xsl:otherwise>-</xsl:otherwise>
      </xsl:choose>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- "|ID|c:CHAR|...|" for the class, its characteristics and all its is-a ancestors. -->
  <xsl:template name="closure">
    <xsl:param name="class"/>
    <xsl:param name="depth"/>
    <xsl:text>|</xsl:text>
    <xsl:value-of select="substring-after($class/@rdf:about, '#')"/>
    <xsl:text>|</xsl:text>
    <xsl:for-each select="$class/rdfs:subClassOf/owl:Restriction[owl:onProperty/@rdf:resource = $has-characteristic]">
      <xsl:text>c:</xsl:text>
      <xsl:value-of select="substring-after(owl:someValuesFrom/@rdf:resource, '#')"/>
      <xsl:text>|</xsl:text>
    </xsl:for-each>
    <xsl:if test="$depth &lt; 64">
      <xsl:for-each select="$class/rdfs:subClassOf[@rdf:resource]">
        <xsl:call-template name="closure">
          <xsl:with-param name="class" select="key('class', @rdf:resource)"/>
          <xsl:with-param name="depth" select="$depth + 1"/>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
